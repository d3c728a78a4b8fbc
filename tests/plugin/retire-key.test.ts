import { strict as assert } from "node:assert";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { HostCallError, isSecret, PLUGIN_URN_PREFIX, PluginProcess, secret, type Props } from "pulumi-qualys/testing";

/** Fake credentials, built at run time: never a real-looking password in the source. */
const PASSWORD = ["retire", "test", "pw", String(process.pid)].join("-");
const USER = { username: "retire-user", password: PASSWORD, role: "manager" as const };

/**
 * Retiring a key that agents use (issue 17) through pulumi-resource-qualys over gRPC, as the engine
 * drives it: the delete of a key removed from the program or destroyed carries its saved outputs,
 * the activation key among them as a secret.
 */
describe("pulumi-resource-qualys: retiring a key onto its successorKeyId", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let plugin: PluginProcess;
  const urn = (name: string): string => `${PLUGIN_URN_PREFIX}${name}`;

  beforeEach(async () => {
    sim = await startSimulator({ users: [USER] });
    plugin = await PluginProcess.start();
    await plugin.configure({ apiUrl: sim.url, username: USER.username, password: secret(PASSWORD) });
  });
  afterEach(async () => {
    await plugin.close();
    await sim.close();
  });

  async function declare(name: string, props: Props): Promise<{ id: string; outputs: Props; inputs: Props }> {
    const checked = await plugin.check(urn(name), {}, { title: name, ...props });
    assert.deepEqual(checked.failures, []);
    return { ...(await plugin.create(urn(name), checked.inputs)), inputs: checked.inputs };
  }

  it("checks successorKeyId at preview, naming it", async () => {
    for (const value of [0, -4, 1.5, "36a", true]) {
      const { failures } = await plugin.check(urn("bad"), {}, { title: "bad", successorKeyId: value });
      assert.deepEqual(failures.map((f) => f.property), ["successorKeyId"], String(value));
    }
    const schema = JSON.parse(await plugin.getSchema()) as { resources: Record<string, { inputProperties: Record<string, { type: string; description: string }> }> };
    const property = schema.resources["qualys:index:ActivationKey"]?.inputProperties.successorKeyId;
    assert.equal(property?.type, "integer");
    assert.match(property?.description ?? "", /takes over this key's agents/);
  });

  it("a key with 5 agents, deleted with its saved outputs, ends gone with its agents on the successor; the successor is named without a Qualys call", async () => {
    const successor = await declare("eu-2027", {});
    const old = await declare("eu-2026", {});
    sim.admin.attachAgents(Number(old.id), 5);
    const agents = sim.admin.getKey(Number(old.id))!.agents.map((agent) => agent.id);

    sim.admin.resetLog();
    // As YAML passes `${eu2027.id}`: the id's digits, as a string.
    const named = await plugin.check(urn("eu-2026"), old.inputs, { title: "eu-2026", successorKeyId: successor.id });
    assert.equal(named.inputs.successorKeyId, Number(successor.id));
    const diff = await plugin.diff(urn("eu-2026"), old.id, old.outputs, named.inputs);
    assert.deepEqual({ changes: diff.changes, replaces: diff.replaces, detailed: diff.detailedDiff }, { changes: "some", replaces: [], detailed: { successorKeyId: "ADD" } });
    const updated = await plugin.update(urn("eu-2026"), old.id, old.outputs, named.inputs);
    assert.equal(updated.outputs.successorKeyId, Number(successor.id));
    assert.ok(isSecret(updated.outputs.activationKey), "the enrolment secret stays a secret in the state-only update");
    assert.equal(sim.admin.requestLog().length, 0, "no Qualys call");

    await plugin.delete(urn("eu-2026"), old.id, updated.outputs);
    assert.equal(sim.admin.getKey(Number(old.id)), undefined);
    assert.deepEqual(sim.admin.getKey(Number(successor.id))!.agents.map((agent) => agent.id), agents);
    assert.equal(sim.admin.callCounts().blocked, 0);
  });

  it("without successorKeyId, or with a disabled successor, the delete fails clearly and nothing moves", async () => {
    const disabled = await declare("off", { isDisabled: true });
    const old = await declare("busy", {});
    sim.admin.attachAgents(Number(old.id), 5);
    const state = (await plugin.read(urn("busy"), old.id, old.outputs)).outputs;
    const without = await plugin.delete(urn("busy"), old.id, state).then(() => undefined, (e: unknown) => e);
    assert.ok(without instanceof HostCallError, String(without));
    assert.match(without.details, /set successorKeyId to the id of the key that should take over its 5 agent\(s\)/);
    const onDisabled = await plugin.delete(urn("busy"), old.id, { ...state, successorKeyId: Number(disabled.id) }).then(() => undefined, (e: unknown) => e);
    assert.ok(onDisabled instanceof HostCallError, String(onDisabled));
    assert.match(onDisabled.details, /successorKeyId \d+ names a disabled key/);
    assert.equal(sim.admin.callCounts().changeactkey, 0);
    assert.equal(sim.admin.getKey(Number(old.id))?.countUsed, 5);
  });
});
