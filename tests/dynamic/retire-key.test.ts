import { strict as assert } from "node:assert";
import { HostCallError, type Props } from "pulumi-qualys/testing";
import { startTestStack, type TestStack } from "../harness/test-stack";

/**
 * Retiring a key that agents use (issue 17), through the real dynamic-provider host over gRPC,
 * against the simulator with agents attached: the delete the engine sends for a key removed from
 * the program, or by `pulumi destroy`, with the key's saved outputs.
 */
describe("ActivationKey retirement through the real dynamic-provider host (successorKeyId)", function () {
  this.timeout(60_000);
  let stack: TestStack;
  afterEach(() => stack?.close());

  /** Checks and creates a key through the host, as `pulumi up` does. */
  async function declare(name: string, props: Props): Promise<{ id: string; outputs: Props; inputs: Props }> {
    const checked = await stack.host.check(stack.urn(name), {}, stack.inputs({ title: name, ...props }));
    assert.deepEqual(checked.failures, []);
    const created = await stack.host.create(stack.urn(name), checked.inputs);
    return { ...created, inputs: checked.inputs };
  }

  const agentIdsOn = (id: string): number[] => (stack.sim.admin.getKey(Number(id))?.agents ?? []).map((agent) => agent.id).sort((a, b) => a - b);

  it("a key with 5 agents removed from the program ends deleted, its 5 agents on the successor; naming the successor calls no Qualys API", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    const successor = await declare("linux-2027", {});
    const old = await declare("linux-2026", {});
    sim.admin.attachAgents(Number(old.id), 5);
    const agents = agentIdsOn(old.id);

    // Naming the successor on the existing key: a change the engine records, without a Qualys call.
    sim.admin.resetLog();
    const named = await host.check(stack.urn("linux-2026"), old.inputs, stack.inputs({ title: "linux-2026", successorKeyId: Number(successor.id) }));
    assert.deepEqual(named.failures, []);
    assert.deepEqual(await host.diff(stack.urn("linux-2026"), old.id, old.outputs, named.inputs), { changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(stack.urn("linux-2026"), old.id, old.outputs, named.inputs);
    assert.equal(updated.outputs.successorKeyId, Number(successor.id));
    assert.equal(updated.outputs.activationKey, old.outputs.activationKey);
    assert.equal(sim.admin.requestLog().length, 0, "a state-only update calls no Qualys API");

    // Removed from the program: the engine deletes it with its saved outputs (countUsed 0 there).
    sim.admin.resetLog();
    await host.delete(stack.urn("linux-2026"), old.id, updated.outputs);
    assert.equal(sim.admin.getKey(Number(old.id)), undefined, "the old key is deleted");
    assert.deepEqual(agentIdsOn(successor.id), agents, "exactly its 5 agents are on the successor");
    assert.equal(sim.admin.getKey(Number(successor.id))?.countUsed, 5);
    const counts = sim.admin.callCounts();
    assert.deepEqual([counts.changeactkey, counts.delete, counts.blocked], [1, 1, 0], "moved first, although the state counted no agent: " + JSON.stringify(counts));
  });

  it("a refreshed state keeps the successor; one move and one delete", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    const successor = await declare("next", {});
    const old = await declare("old", { successorKeyId: Number(successor.id) });
    sim.admin.attachAgents(Number(old.id), 5);
    const refreshed = await host.read(stack.urn("old"), old.id, old.outputs);
    assert.equal(refreshed.outputs.countUsed, 5);
    assert.equal(refreshed.outputs.successorKeyId, Number(successor.id), "refresh keeps the successor");
    assert.equal(refreshed.inputs?.successorKeyId, Number(successor.id));
    sim.admin.resetLog();
    await host.delete(stack.urn("old"), old.id, refreshed.outputs);
    assert.equal(sim.admin.getKey(Number(old.id)), undefined);
    assert.equal(sim.admin.getKey(Number(successor.id))?.countUsed, 5);
    const counts = sim.admin.callCounts();
    assert.deepEqual([counts.changeactkey, counts.delete], [1, 1], JSON.stringify(counts));
  });

  it("without successorKeyId the refusal names the input and the agent count; nothing moves", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    const old = await declare("legacy", {});
    sim.admin.attachAgents(Number(old.id), 5);
    const refreshed = await host.read(stack.urn("legacy"), old.id, old.outputs);
    const error = await host.delete(stack.urn("legacy"), old.id, refreshed.outputs).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof HostCallError, String(error));
    assert.match(error.details, /QUALYS_KEY_IN_USE|still registered/);
    assert.match(error.details, /set successorKeyId to the id of the key that should take over its 5 agent\(s\)/);
    assert.equal(sim.admin.getKey(Number(old.id))?.countUsed, 5);
    assert.equal(sim.admin.callCounts().changeactkey, 0);
  });

  it("a successor that is missing, disabled or the key itself fails clearly before anything moves; a key without agents is deleted anyway", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    const disabled = await declare("disabled-one", { isDisabled: true });
    const gone = await declare("gone-one", {});
    sim.admin.deleteKey(Number(gone.id));
    const old = await declare("leaving", {});
    sim.admin.attachAgents(Number(old.id), 5);
    const state = (await host.read(stack.urn("leaving"), old.id, old.outputs)).outputs;
    for (const [successorKeyId, why] of [
      [Number(gone.id), /successorKeyId \d+ names no key Qualys knows/],
      [Number(disabled.id), /successorKeyId \d+ names a disabled key \("disabled-one"\)/],
      [Number(old.id), /is key \d+ itself/],
    ] as const) {
      const error = await host.delete(stack.urn("leaving"), old.id, { ...state, successorKeyId }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof HostCallError, String(error));
      assert.match(error.details, why);
      assert.match(error.details, /Nothing was moved/);
    }
    assert.equal(sim.admin.callCounts().changeactkey, 0, "no move was even attempted");
    assert.equal(sim.admin.getKey(Number(old.id))?.countUsed, 5);
    // On `pulumi destroy` the successor may be gone first; a key with no agent left needs none.
    sim.admin.detachAgents(Number(old.id));
    await host.delete(stack.urn("leaving"), old.id, { ...state, successorKeyId: Number(gone.id) });
    assert.equal(sim.admin.getKey(Number(old.id)), undefined);
  });

  it("converges after a run killed between the move and the delete, and moves agents that enrolled meanwhile", async () => {
    stack = await startTestStack();
    const { sim } = stack;
    const successor = await declare("target", {});
    const old = await declare("source", { successorKeyId: Number(successor.id) });
    sim.admin.attachAgents(Number(old.id), 3);
    const state = (await stack.host.read(stack.urn("source"), old.id, old.outputs)).outputs;
    // The earlier run moved the agents and died before its delete: the state still says 3 agents.
    // Meanwhile a straggler enrolled with the old key, and another arrives during the delete.
    sim.admin.patchKey(Number(successor.id), { agents: sim.admin.getKey(Number(old.id))!.agents, countUsed: 3 });
    sim.admin.patchKey(Number(old.id), { agents: [], countUsed: 0 });
    sim.admin.attachAgents(Number(old.id), 1);
    sim.admin.injectFaults([{ operation: "delete", kind: "slow", delayMs: 300 }]);
    await stack.host.close();
    stack.host = await stack.newHost();
    sim.admin.resetLog();
    const deleting = stack.host.delete(stack.urn("source"), old.id, state);
    // The first move is logged once done; the delete that follows is held 300 ms before it runs.
    for (let i = 0; i < 400 && sim.admin.callCounts().changeactkey === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    sim.admin.attachAgents(Number(old.id), 1);
    await deleting;
    assert.equal(sim.admin.getKey(Number(old.id)), undefined);
    assert.equal(sim.admin.getKey(Number(successor.id))?.countUsed, 5, "the 3 moved before, the straggler and the late one");
    assert.equal(sim.admin.callCounts().changeactkey, 2, "a second round for the agent that enrolled during the first delete");
  });
});
