import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../harness/test-stack";

/** The README shows examples/yaml/Pulumi.yaml and says so: it must be that file, not a variant of it. */
describe("README: the Pulumi YAML program", () => {
  it("is examples/yaml/Pulumi.yaml, from `name:` on, byte for byte", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const link = "[`examples/yaml/Pulumi.yaml`](examples/yaml/Pulumi.yaml)";
    const at = readme.indexOf(`No SDK is needed: the types come from the plugin's schema. ${link}`);
    assert.ok(at >= 0, "the README names the file it shows");
    const block = /```yaml\n([\s\S]*?)```\n/.exec(readme.slice(at));
    assert.ok(block?.[1], "a YAML block follows the link");
    const file = readFileSync(join(REPO_ROOT, "examples/yaml/Pulumi.yaml"), "utf8");
    assert.equal(block[1], file.slice(file.indexOf("\nname: ") + 1));
  });
});
