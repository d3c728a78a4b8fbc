import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../harness/test-stack";

interface Workflow {
  on: { push: { tags: string[] } };
  jobs: Record<string, { needs?: string | string[]; steps: { run?: string; uses?: string }[] }>;
}

/** What the release workflow may run besides npm scripts: publishing itself, which cannot run here. */
const PUBLISHING = [/^gh release create "\$GITHUB_REF_NAME" .*dist-plugin\/\*\.tar\.gz dist-plugin\/SHA256SUMS$/, /^npm publish --provenance --access public$/];

/**
 * .github/workflows/release.yml cannot run here, so it is kept to steps that do: each build step
 * is `npm ci`, `npm test` or an npm script the suite runs (plugin:tarball and plugin:checksums by
 * tests/harness/plugin-archives.ts), and the release waits for the tests and both archive jobs.
 */
describe("release workflow (.github/workflows/release.yml)", () => {
  const workflow = parse(readFileSync(join(REPO_ROOT, ".github/workflows/release.yml"), "utf8")) as Workflow;
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

  it("runs on version tags, and releases only after the tests and every archive job", () => {
    assert.deepEqual(workflow.on.push.tags, ["v*"]);
    const needs = (job: string): string[] => [workflow.jobs[job]?.needs ?? []].flat();
    assert.deepEqual(needs("release").sort(), ["darwin", "linux-windows"]);
    for (const job of needs("release")) assert.deepEqual(needs(job), ["test"], `${job} waits for the tests`);
  });

  it("runs nothing but npm ci, npm test, npm scripts of package.json, and the publishing steps", () => {
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run ? [step.run.trim()] : [])));
    for (const run of runs) {
      if (run === "npm ci" || run === "npm test" || PUBLISHING.some((pattern) => pattern.test(run))) continue;
      const script = /^npm run ([\w:-]+)(?: -- .*)?$/.exec(run)?.[1];
      assert.ok(script && scripts[script], `${run}: an npm script of package.json`);
      assert.ok(["plugin:tarball", "plugin:checksums"].includes(script), `${run}: a script the suite runs`);
    }
    assert.ok(runs.includes("npm run plugin:checksums"), "checksums over all six archives once they are together");
    assert.ok(runs.some((run) => run.startsWith("npm run plugin:tarball -- --targets darwin-amd64,darwin-arm64 ")), "darwin archives on macOS");
  });
});
