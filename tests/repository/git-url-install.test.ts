import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isCi } from "../harness/is-ci";
import { REPO_ROOT } from "../harness/test-stack";

/**
 * `npm install <git URL>` clones the repository, which holds no dist/: npm installs the clone's
 * dev dependencies, runs its `prepare` script and installs what `npm pack` would ship. Tried with
 * this checkout's committed HEAD through a git+file URL. CI only (a fresh clone there): it costs a
 * clone, an install and a full build, and in a working tree it would test HEAD, not the edits.
 */
describe("npm install from a git URL (CI only: clones HEAD, installs, builds)", function () {
  this.timeout(300_000);
  let dir: string | undefined;

  before(function () {
    if (!isCi()) this.skip();
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("builds the package (prepare): the consumer loads it, with its types and bins", () => {
    dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-git-consumer-"));
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const pulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "git-consumer", private: true, dependencies: { "pulumi-qualys": `git+file://${REPO_ROOT}#${head}`, "@pulumi/pulumi": pulumiVersion } }),
    );
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "pipe" });
    const installed = join(dir, "node_modules", "pulumi-qualys");
    // In a process of its own: the consumer's @pulumi/pulumi stays out of this one.
    const loaded = execFileSync(process.execPath, ["-e", `process.stdout.write(require.resolve("pulumi-qualys") + " " + typeof require("pulumi-qualys").ActivationKey)`], { cwd: dir, encoding: "utf8" });
    assert.equal(loaded, `${join(installed, "dist/provider/index.js")} function`);
    assert.ok(existsSync(join(installed, "dist/provider/index.d.ts")), "with its types");
    for (const bin of ["qualys-simulator", "qualys-keys"]) assert.ok(existsSync(join(dir, "node_modules/.bin", bin)), `bin ${bin}`);
  });
});
