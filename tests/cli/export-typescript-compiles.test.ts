import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { run } from "../../provider/cli/qualys-keys";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { REPO_ROOT, SIM_USER } from "../harness/test-stack";
import { typeCheckProject } from "../harness/type-check-project";

/**
 * Titles that are no JavaScript identifier as they are, or become the same one, or that a naive
 * string literal would break. No leading or trailing blanks: the client trims values (the Cloud
 * Agent API guide's XML samples are wrapped), so such a title would not reach the generator
 * unchanged.
 */
const TITLES = [
  "class", "default", "await", "let", "enum", "arguments", "eval", "yield", "static", "new",
  "qualys", "Qualys Servers", "require", "exports", "module", "undefined", "global this",
  "1st", "2nd floor", "007",
  "key", "key 2", "key-2", "key2", "Key_2",
  "Serveurs de l'équipe Île-de-France", "日本のサーバー", "中国", "🚀", "ÅNGSTRÖM",
  "line\u2028separator", "para\u2029graph", 'quote " and back\\slash', "back`tick ${x}", "*/ /* not a comment", "tab\there",
];

describe("qualys-keys export-typescript: the generated program compiles, whatever the titles", function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let dir: string;
  const saved = { ...process.env };

  before(async () => {
    sim = await startSimulator();
    dir = mkdtempSync(join(tmpdir(), "qualys-keys-export-"));
    Object.assign(process.env, { QUALYS_API_URL: sim.url, QUALYS_USERNAME: SIM_USER.username, QUALYS_PASSWORD: SIM_USER.password });
  });
  after(async () => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  });

  it("type-checks against the package's types, and declares every key with its title exactly", async () => {
    for (const title of TITLES) sim.admin.insertKey({ title });
    let program = "";
    assert.equal(await run(["export-typescript"], (text) => (program += text)), 0);
    writeFileSync(join(dir, "keys.ts"), program);
    // The user's project: `pulumi-qualys` resolves from its node_modules, as after `npm install`.
    symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const compilerOptions = { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", types: ["node"], skipLibCheck: true };
    const { errors } = typeCheckProject(dir, { compilerOptions, files: ["keys.ts"] });
    assert.equal(errors, "", `the generated program compiles:\n${program}`);

    assert.deepEqual(declaredTitles(program), TITLES, "one declaration per key, in id order, each title byte for byte");
    assert.doesNotMatch(program, /[\u2028\u2029]/, "U+2028/U+2029 escaped: editors and older tools take them for line ends");
  });
});

/** The `title` of each `new qualys.ActivationKey(...)`, as the compiler reads the literal. */
function declaredTitles(program: string): string[] {
  const titles: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText() === "qualys.ActivationKey") {
      const args = node.arguments?.[1];
      assert.ok(args && ts.isObjectLiteralExpression(args));
      const title = args.properties.find((p) => p.name?.getText() === "title");
      assert.ok(title && ts.isPropertyAssignment(title) && ts.isStringLiteral(title.initializer));
      titles.push(title.initializer.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("keys.ts", program, ts.ScriptTarget.ES2020, true));
  return titles;
}
