import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ACTIVATION_KEY_PROPERTIES } from "../../provider/activation-key/properties";
import { TYPES_FILE, activationKeyTypesSource } from "../../provider/dynamic/typescript-codegen";

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
});
