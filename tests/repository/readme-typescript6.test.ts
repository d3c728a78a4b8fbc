import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../harness/test-stack";
import { typeCheckProject } from "../harness/type-check-project";

/**
 * TypeScript 6 refuses `"moduleResolution": "node"`, which Pulumi's template sets: the README says
 * what to set instead, and a program on the template with exactly those options compiles against
 * the package's types.
 */
describe("README: what to set for TypeScript 6", function () {
  this.timeout(120_000);

  it("gives module options TypeScript 6 accepts, and the template with them compiles a program using the package", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const at = readme.indexOf("#### TypeScript 6\n");
    assert.ok(at >= 0, "the README has a TypeScript 6 section");
    const block = /```json\n([\s\S]*?)```\n/.exec(readme.slice(at));
    assert.ok(block?.[1], "with the options as JSON");
    const options = JSON.parse(block[1]) as Record<string, string>;
    assert.match(options.moduleResolution ?? "", /^(node16|nodenext|bundler)$/i, "a resolution TypeScript 6 keeps");

    const dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-ts6-"));
    try {
      symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
      writeFileSync(join(dir, "index.ts"), 'import * as qualys from "pulumi-qualys";\nexport const key = new qualys.ActivationKey("k", { title: "k" });\n');
      // Pulumi's TypeScript template, with the README's options over it.
      const template = { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true };
      assert.equal(typeCheckProject(dir, { compilerOptions: { ...template, ...options }, files: ["index.ts"] }).errors, "");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
