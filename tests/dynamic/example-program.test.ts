import { strict as assert } from "node:assert";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startSimulatedStack, type SimulatedStack } from "pulumi-qualys/testing";
import { REPO_ROOT } from "../harness/test-stack";

const BASIC = join(REPO_ROOT, "dist/examples/basic/index.js");
const WRITES = ["create", "update", "delete"] as const;

describe("examples/basic under pulumi-qualys/testing (the engine-faithful mocks harness users get)", function () {
  this.timeout(60_000);
  let program: SimulatedStack;
  afterEach(() => program?.close());

  function writeCalls(): number {
    const counts = program.simulator.admin.callCounts();
    return WRITES.reduce((sum, op) => sum + (counts[op] ?? 0), 0);
  }

  it("up → quiet up → out-of-band change → refresh finds exactly it → up restores → destroy empties", async () => {
    program = await startSimulatedStack({ program: BASIC, projectDir: REPO_ROOT });
    const sim = program.simulator;

    const first = await program.up();
    assert.deepEqual(first.errors, []);
    assert.deepEqual(first.steps.map((s) => s.op), ["create", "create"]);
    assert.equal(sim.admin.listKeys().length, 2);
    assert.deepEqual(program.secretOutputs.get("linux-servers"), ["activationKey"], "activationKey is registered as a secret output");
    const exported = program.exports.activationKey as pulumi.Output<string>;
    assert.equal(await pulumi.isSecret(exported), true, "the program's exported activationKey is a secret");
    const linuxKey = sim.admin.listKeys().find((k) => k.title === "linux-servers");
    assert.equal(await new Promise((resolve) => exported.apply(resolve)), linuxKey?.activationKey);

    sim.admin.resetLog();
    const second = await program.up();
    assert.deepEqual(second.steps.map((s) => s.op), ["same", "same"]);
    assert.equal(writeCalls(), 0, "a second up makes no write call");
    assert.equal(Object.values(sim.admin.callCounts()).reduce((a, b) => a + b, 0), 0, "…and no call at all");

    const quietRefresh = await program.refresh();
    assert.deepEqual(quietRefresh.steps.map((s) => s.op), ["same", "same"], "refresh right after up reports nothing");

    const linux = sim.admin.listKeys().find((k) => k.title === "linux-servers")!;
    sim.admin.patchKey(linux.id, { ownerId: 999 });
    const drift = await program.refresh();
    const changed = drift.steps.filter((s) => s.op !== "same");
    assert.equal(changed.length, 1);
    assert.match(changed[0]!.urn, /::linux-servers$/);
    assert.deepEqual(changed[0]!.fields, ["ownerId"]);

    sim.admin.resetLog();
    const remediation = await program.up();
    assert.deepEqual(remediation.steps.map((s) => s.op).sort(), ["same", "update"]);
    assert.equal(sim.admin.getKey(linux.id)?.ownerId, 364812443, "up restores the declared owner");
    assert.equal(sim.admin.callCounts().update, 1);

    await program.destroy();
    assert.equal(sim.admin.listKeys().length, 0, "destroy leaves the simulator empty");
  });
});
