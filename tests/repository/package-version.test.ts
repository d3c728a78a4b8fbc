import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_VERSION } from "../../provider/qualys/version";
import { declaredVersion, VERSION_FILE, versionSource } from "../../tools/version-codegen";

const ROOT = join(__dirname, "..", "..", "..");

describe("the package version in the code", () => {
  it("is generated from package.json's version (run `npm run generate` after changing it)", () => {
    assert.equal(readFileSync(join(ROOT, VERSION_FILE), "utf8"), versionSource(declaredVersion(ROOT)));
  });

  it("is the version package.json declares, so the User-Agent and GetPluginInfo name it", () => {
    assert.equal(PACKAGE_VERSION, declaredVersion(ROOT));
  });
});
