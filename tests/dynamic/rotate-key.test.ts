import { strict as assert } from "node:assert";
import { HostCallError, type DynamicProviderHost, type Props } from "pulumi-qualys/testing";
import { startTestStack, type TestStack } from "../harness/test-stack";

/**
 * Rotating a key that agents use (issue 17), through the real dynamic-provider host over gRPC,
 * against the simulator with agents attached. The engine's steps for a replacement are driven as a
 * `pulumi up` does: check, diff (replaces, create before delete), check again without olds, create
 * the new resource, then delete the old one with its saved outputs. A killed provider is a closed
 * host: the next `up` starts a new one with the state the engine kept.
 */
describe("ActivationKey rotation through the real dynamic-provider host (rotationTrigger)", function () {
  this.timeout(60_000);
  let stack: TestStack;
  afterEach(() => stack?.close());

  interface Deployed {
    id: string;
    outputs: Props;
    inputs: Props;
  }

  async function declare(name: string, props: Props): Promise<Deployed> {
    const checked = await stack.host.check(stack.urn(name), {}, stack.inputs({ title: name, ...props }));
    assert.deepEqual(checked.failures, []);
    return { ...(await stack.host.create(stack.urn(name), checked.inputs)), inputs: checked.inputs };
  }

  /** check and diff of `old` declared with `props`: what preview and up ask first. */
  async function plan(host: DynamicProviderHost, name: string, old: Deployed, props: Props): Promise<{ inputs: Props; replaces: string[] }> {
    const checked = await host.check(stack.urn(name), old.inputs, stack.inputs({ title: name, ...props }));
    assert.deepEqual(checked.failures, []);
    const diff = await host.diff(stack.urn(name), old.id, old.outputs, checked.inputs);
    // A replacement is checked again without olds (the engine's step generator).
    const again = await host.check(stack.urn(name), {}, stack.inputs({ title: name, ...props }));
    return { inputs: again.inputs, replaces: diff.replaces };
  }

  /** One `pulumi up` of the rotation: plan, create the new key, delete the old one. */
  async function up(host: DynamicProviderHost, name: string, old: Deployed, props: Props): Promise<Deployed> {
    const planned = await plan(host, name, old, props);
    assert.deepEqual(planned.replaces, ["rotationTrigger"]);
    const created = await host.create(stack.urn(name), planned.inputs);
    await host.delete(stack.urn(name), old.id, old.outputs);
    return { ...created, inputs: planned.inputs };
  }

  const keysTitled = (prefix: string) => stack.sim.admin.listKeys().filter((key) => key.title.startsWith(prefix));
  const agentIds = (id: string | number): number[] => (stack.sim.admin.getKey(Number(id))?.agents ?? []).map((agent) => agent.id).sort((a, b) => a - b);

  /** The end every rotation must reach: one key under the title, a new value, all agents on it, the old key gone. */
  function assertRotated(name: string, old: Deployed, agents: number[], rotated?: Deployed): void {
    const keys = keysTitled(name);
    assert.equal(keys.length, 1, `exactly one key for "${name}": ${JSON.stringify(keys.map((key) => key.title))}`);
    const [key] = keys;
    assert.equal(key!.title, name);
    assert.notEqual(key!.id, Number(old.id));
    assert.notEqual(key!.activationKey, old.outputs.activationKey, "a new activation key value");
    assert.equal(stack.sim.admin.getKey(Number(old.id)), undefined, "the old key is deleted");
    assert.deepEqual(agentIds(key!.id), agents, "every agent of the old key is on the new one");
    if (rotated) {
      assert.equal(rotated.id, String(key!.id));
      assert.equal(rotated.outputs.activationKey, key!.activationKey);
      assert.equal(rotated.outputs.rotationTrigger, "2027-01");
    }
  }

  it("setting rotationTrigger for the first time only records it; changing it rotates a key with 5 agents in one up", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    const first = await declare("web-fleet", { modules: ["VM_LICENSE"] });
    sim.admin.attachAgents(Number(first.id), 5);
    const agents = agentIds(first.id);

    sim.admin.resetLog();
    const recorded = await plan(host, "web-fleet", first, { modules: ["VM_LICENSE"], rotationTrigger: "2026-12" });
    assert.deepEqual(recorded.replaces, [], "no rotation when the trigger is first set");
    const old = { ...first, outputs: (await host.update(stack.urn("web-fleet"), first.id, first.outputs, recorded.inputs)).outputs, inputs: recorded.inputs };
    assert.equal(old.outputs.rotationTrigger, "2026-12");
    assert.equal(sim.admin.requestLog().length, 0, "recording the trigger calls no Qualys API");

    sim.admin.resetLog();
    const rotated = await up(host, "web-fleet", old, { modules: ["VM_LICENSE"], rotationTrigger: "2027-01" });
    assertRotated("web-fleet", old, agents, rotated);
    assert.deepEqual(sim.admin.getKey(Number(rotated.id))!.modules, ["VM_LICENSE"], "the declared settings");
    const counts = sim.admin.callCounts();
    assert.deepEqual([counts.update, counts.create, counts.changeactkey, counts.delete, counts.blocked], [1, 1, 1, 1, 0], JSON.stringify(counts));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the log RPC is asynchronous
    assert.ok(host.engineLog.some((l) => l.severity === "warning" && /Key "web-fleet" \(id \d+\) will be rotated/.test(l.message)), JSON.stringify(host.engineLog));
  });

  it("refuses a rotation and a new title in one run, at check", async () => {
    stack = await startTestStack();
    const old = await declare("app", { rotationTrigger: "a" });
    const checked = await stack.host.check(stack.urn("app"), old.inputs, stack.inputs({ title: "app-2", rotationTrigger: "b" }));
    assert.deepEqual(checked.failures.map((f) => f.property), ["rotationTrigger"]);
    assert.match(checked.failures[0]!.reason, /a rotation keeps the title \("app"\)/);
  });

  it("a create that fails after the rename: the state is unchanged, and the next up finishes the rotation", async () => {
    stack = await startTestStack();
    const { sim } = stack;
    const old = await declare("db", { rotationTrigger: "1" });
    sim.admin.attachAgents(Number(old.id), 4);
    const agents = agentIds(old.id);
    sim.admin.injectFaults([{ operation: "create", kind: "reset-before", count: 50 }]);
    const planned = await plan(stack.host, "db", old, { rotationTrigger: "2027-01" });
    const failed = await stack.host.create(stack.urn("db"), planned.inputs).then(() => undefined, (e: unknown) => e);
    assert.ok(failed instanceof HostCallError, String(failed));
    sim.admin.clearFaults();
    assert.equal(keysTitled("db").length, 1, "only the old key, renamed");
    assert.match(keysTitled("db")[0]!.title, /^db \(rotated out, key \d+\)$/);
    assert.equal(sim.admin.getKey(Number(old.id))!.countUsed, 4, "its agents still on it, its value still working");

    // The engine kept the old state. A refresh says what is pending; the next up converges.
    await stack.host.close();
    stack.host = await stack.newHost();
    const refreshed = await stack.host.read(stack.urn("db"), old.id, old.outputs);
    assert.equal(refreshed.outputs.title, "db", "the rotation title is no drift");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(stack.host.engineLog.some((l) => /Rotation of key "db" pending: the old key \d+ still exists with 4 agent/.test(l.message)), JSON.stringify(stack.host.engineLog));
    const rotated = await up(stack.host, "db", { ...old, outputs: refreshed.outputs }, { rotationTrigger: "2027-01" });
    assertRotated("db", old, agents, rotated);
  });

  it("a provider killed after the create, before the engine recorded it: the next up adopts the new key, no duplicate", async () => {
    stack = await startTestStack();
    const { sim } = stack;
    const old = await declare("cache", { rotationTrigger: "1" });
    sim.admin.attachAgents(Number(old.id), 3);
    const agents = agentIds(old.id);
    const planned = await plan(stack.host, "cache", old, { rotationTrigger: "2027-01" });
    const lost = await stack.host.create(stack.urn("cache"), planned.inputs);
    await stack.host.close(); // killed: the engine never saw the answer

    stack.host = await stack.newHost();
    sim.admin.resetLog();
    const rotated = await up(stack.host, "cache", old, { rotationTrigger: "2027-01" });
    assert.equal(rotated.id, lost.id, "the key the lost create made is adopted");
    assertRotated("cache", old, agents, rotated);
    assert.equal(sim.admin.callCounts().create, 0, "no second create");
  });

  it("a provider killed after the create was recorded: the pending delete moves the agents, then deletes", async () => {
    stack = await startTestStack();
    const { sim } = stack;
    const old = await declare("queue", { rotationTrigger: "1" });
    sim.admin.attachAgents(Number(old.id), 3);
    const planned = await plan(stack.host, "queue", old, { rotationTrigger: "2027-01" });
    const created = await stack.host.create(stack.urn("queue"), planned.inputs);
    await stack.host.close();
    // An agent enrols with the old value in between: it still works.
    sim.admin.attachAgents(Number(old.id), 1);
    const agents = agentIds(old.id);

    stack.host = await stack.newHost();
    await stack.host.delete(stack.urn("queue"), old.id, old.outputs);
    assertRotated("queue", old, agents, { ...created, inputs: planned.inputs });
  });

  it("a delete that fails after the move: the next up's delete finishes, moving a straggler", async () => {
    // A short retry deadline, so the refused delete fails this run instead of being retried.
    stack = await startTestStack({ env: { ...process.env, QUALYS_RETRY_DEADLINE_SEC: "1" } });
    const { sim } = stack;
    const old = await declare("edge", { rotationTrigger: "1" });
    sim.admin.attachAgents(Number(old.id), 2);
    const planned = await plan(stack.host, "edge", old, { rotationTrigger: "2027-01" });
    const created = await stack.host.create(stack.urn("edge"), planned.inputs);
    sim.admin.injectFaults([{ operation: "delete", kind: "reset-before", count: 50 }]);
    const failed = await stack.host.delete(stack.urn("edge"), old.id, old.outputs).then(() => undefined, (e: unknown) => e);
    assert.ok(failed instanceof HostCallError, String(failed));
    sim.admin.clearFaults();
    assert.equal(sim.admin.getKey(Number(old.id))!.countUsed, 0, "moved, not deleted");
    sim.admin.attachAgents(Number(old.id), 1);
    const agents = [...agentIds(created.id), ...agentIds(old.id)].sort((a, b) => a - b);

    await stack.host.close();
    stack.host = await stack.newHost();
    await stack.host.delete(stack.urn("edge"), old.id, old.outputs);
    assertRotated("edge", old, agents, { ...created, inputs: planned.inputs });
  });
});
