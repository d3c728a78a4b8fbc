import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { INSTALLATION_DOC, withSettingsTable } from "../../tools/docs/settings-table";
import { REPO_ROOT } from "../harness/test-stack";

const read = (file: string): string => readFileSync(join(REPO_ROOT, file), "utf8");

/** The Pulumi Registry pages of the package (docs/), as the Registry reads them. */
describe("Registry docs (docs/)", () => {
  it("installation-configuration.md holds the settings table of the one settings definition (npm run docs rewrites it)", () => {
    const doc = read(INSTALLATION_DOC);
    assert.equal(doc, withSettingsTable(doc), "the table is stale: run `npm run docs`");
  });

  it("_index.md: an overview and one example per language (TypeScript, Python, Go, C#, YAML), each declaring the key", () => {
    const doc = read("docs/_index.md");
    assert.match(doc, /^---\ntitle: Qualys\n[\s\S]*?layout: package\n---\n/, "Hugo front matter as the Registry expects");
    for (const [heading, fence, declaration] of [
      ["TypeScript", "typescript", /new qualys\.ActivationKey\(/],
      ["Python", "python", /qualys\.ActivationKey\(/],
      ["Go", "go", /qualys\.NewActivationKey\(/],
      ["C#", "csharp", /new Qualys\.ActivationKey\(/],
      ["YAML", "yaml", /type: qualys:index:ActivationKey/],
    ] as const) {
      const block = new RegExp(`### ${heading.replace("#", "\\#")}\\n\\n\`\`\`${fence}\\n([\\s\\S]*?)\`\`\``).exec(doc);
      assert.ok(block, `a ${heading} example`);
      assert.match(block[1]!, declaration, `the ${heading} example declares an activation key`);
    }
  });
});
