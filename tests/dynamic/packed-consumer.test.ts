import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { ACTIVATION_KEY_TYPE, DynamicProviderHost } from "pulumi-qualys/testing";
import { serializedProvider } from "../harness/serialized-provider";
import { REPO_ROOT, SIM_USER } from "../harness/test-stack";

/**
 * The package as users get it: `npm pack`, installed into a separate project, driven through that
 * project's own dynamic-provider host. Proves the shim resolves `pulumi-qualys/provider-runtime` by
 * package name from the user's project, and that `files`/`exports` ship everything needed, the
 * `pulumi-qualys/testing` harness included: with nothing installed but the package and
 * @pulumi/pulumi, as a user's project has.
 */
describe("npm pack → separate consumer project (slow: packs, then npm install)", function () {
  this.timeout(240_000);
  let dir: string;
  let sim: RunningSimulator;
  let host: DynamicProviderHost | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-consumer-"));
    execFileSync("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: REPO_ROOT, stdio: "pipe" });
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const pulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "consumer", private: true, dependencies: { "pulumi-qualys": `file:./${tarball}`, "@pulumi/pulumi": pulumiVersion } }),
    );
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "pipe" });
  });
  after(async () => {
    await host?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates and deletes a key through the consumer's host, loading the installed package by name", async () => {
    sim = await startSimulator();
    host = await DynamicProviderHost.start({ projectDir: dir, hostScript: require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [dir] }) });
    await host.configure({ "qualys:apiUrl": sim.url, "qualys:username": SIM_USER.username, "qualys:password": SIM_USER.password });
    const installed = require(require.resolve("pulumi-qualys/package.json", { paths: [dir] }).replace("package.json", "dist/provider/dynamic/provider-shim.js")) as { activationKeyProvider: unknown };
    const __provider = await serializedProvider(installed.activationKeyProvider);
    assert.equal(__provider, await serializedProvider(), "the installed package serializes the same text as the repository");
    const urn = `urn:pulumi:dev::consumer::${ACTIVATION_KEY_TYPE}::packed`;
    const { inputs } = await host.check(urn, {}, { __provider, title: "packed", modules: ["VM_LICENSE"] });
    const created = await host.create(urn, inputs);
    assert.equal(sim.admin.getKey(Number(created.id))?.title, "packed");
    await host.delete(urn, created.id, created.outputs);
    assert.equal(sim.admin.listKeys().length, 0);
  });

  it("pulumi-qualys/testing runs the consumer's own program: preview, up, drift, destroy", () => {
    writeFileSync(
      join(dir, "index.js"),
      `const qualys = require("pulumi-qualys");\n` +
        `new qualys.ActivationKey("web", { title: "web", type: "COUNT_LIMITED", countPurchased: 5, modules: ["VM_LICENSE"] });\n`,
    );
    // The user's unit test, in plain Node so the consumer needs no test runner: it prints what it saw.
    writeFileSync(
      join(dir, "program.test.js"),
      `const { startSimulatedStack, describeFieldDrift } = require("pulumi-qualys/testing");\n` +
        `(async () => {\n` +
        `  const stack = await startSimulatedStack({ program: require.resolve("./index.js") });\n` +
        `  try {\n` +
        `    const seen = { preview: (await stack.preview()).steps.map((s) => s.op), up: (await stack.up()).steps.map((s) => s.op) };\n` +
        `    const key = stack.simulator.admin.listKeys()[0];\n` +
        `    stack.simulator.admin.patchKey(key.id, { countPurchased: 9 });\n` +
        `    seen.drift = (await stack.refresh({ previewOnly: true })).steps.flatMap((s) => (s.drift ?? []).map(describeFieldDrift));\n` +
        `    seen.destroy = (await stack.destroy()).steps.map((s) => s.op);\n` +
        `    seen.left = stack.simulator.admin.listKeys().length;\n` +
        `    console.log(JSON.stringify(seen));\n` +
        `  } finally {\n` +
        `    await stack.close();\n` +
        `  }\n` +
        `})().catch((e) => { console.error(e); process.exitCode = 1; });\n`,
    );
    const run = spawnSync(process.execPath, ["program.test.js"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split("\n").pop()!), {
      preview: ["create"],
      up: ["create"],
      drift: ["countPurchased: declared 5, actual 9"],
      destroy: ["delete"],
      left: 0,
    });
  });
});
