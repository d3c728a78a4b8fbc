import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACTIVATION_KEY_PROPERTIES } from "../../provider/activation-key/properties";
import { TYPES_FILE, activationKeyTypesSource } from "../../tools/typescript-codegen";
import { typeCheckProject } from "../harness/type-check-project";

const ROOT = join(__dirname, "..", "..", "..");

describe("TypeScript types of the dynamic resource", () => {
  it("are exactly what the property definition generates (run `npm run generate` after changing properties.ts)", () => {
    assert.equal(readFileSync(join(ROOT, TYPES_FILE), "utf8"), activationKeyTypesSource());
  });

  it("carry every property's description as TSDoc", () => {
    const source = activationKeyTypesSource();
    for (const [name, spec] of Object.entries(ACTIVATION_KEY_PROPERTIES)) {
      assert.ok(source.includes(`  /** ${spec.description} */\n  readonly ${name}: pulumi.Output<`), `${name} output with its description`);
      if (spec.role === "input") assert.match(source, new RegExp(`\\*/\\n  ${name}\\??: pulumi\\.Input<`), `${name} input`);
    }
  });

  it("accept every spelling the runtime accepts: `type: \"count_limited\"` as in the README, and refuse a misspelling", function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), "activation-key-types-"));
    try {
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
      writeFileSync(
        join(dir, "index.ts"),
        [
          'import * as qualys from "pulumi-qualys";',
          'new qualys.ActivationKey("lower", { title: "lower", type: "count_limited", countPurchased: 5 });',
          'new qualys.ActivationKey("upper", { title: "upper", type: "TIME_LIMITED", expireDate: "2099-01-01" });',
          "// @ts-expect-error: no such type",
          'new qualys.ActivationKey("typo", { title: "typo", type: "count_limitd" });',
          "",
        ].join("\n"),
      );
      const compilerOptions = { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", types: ["node"], skipLibCheck: true };
      assert.equal(typeCheckProject(dir, { compilerOptions, files: ["index.ts"] }).errors, "");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
