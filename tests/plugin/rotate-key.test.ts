import { strict as assert } from "node:assert";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { HostCallError, isSecret, PLUGIN_URN_PREFIX as URN_PREFIX, PluginProcess, secret, type Props } from "pulumi-qualys/testing";

/** Fake credentials, built at run time: never a real-looking password in the source. */
const PASSWORD = ["rotate", "test", "pw", String(process.pid)].join("-");
const USER = { username: "rotate-user", password: PASSWORD, role: "manager" as const };

/**
 * Rotating a key (issue 17) and expiry hygiene through pulumi-resource-qualys over gRPC, as the
 * engine drives a replacement: Diff answers the replacement (create before delete), Create makes
 * the new key, Delete retires the old one with its saved outputs. A killed plugin is a closed
 * process; the next `up` starts another with the state the engine kept.
 */
describe("pulumi-resource-qualys: rotating a key (rotationTrigger) and expiry warnings", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let plugin: PluginProcess;
  const urn = (name: string): string => `${URN_PREFIX}${name}`;
  const config = (extra: Props = {}): Props => ({ apiUrl: sim.url, username: USER.username, password: secret(PASSWORD), ...extra });

  async function newPlugin(extra: Props = {}): Promise<PluginProcess> {
    const started = await PluginProcess.start();
    await started.configure(config(extra));
    return started;
  }

  beforeEach(async () => {
    sim = await startSimulator({ users: [USER] });
    plugin = await newPlugin();
  });
  afterEach(async () => {
    await plugin.close();
    await sim.close();
  });

  interface Deployed {
    id: string;
    outputs: Props;
    inputs: Props;
  }

  async function declare(name: string, props: Props): Promise<Deployed> {
    const checked = await plugin.check(urn(name), {}, { title: name, ...props });
    assert.deepEqual(checked.failures, []);
    return { ...(await plugin.create(urn(name), checked.inputs)), inputs: checked.inputs };
  }

  /** Check and Diff of the rotation, then the check without olds the engine does for a replacement. */
  async function plan(name: string, old: Deployed, trigger: string): Promise<Props> {
    const checked = await plugin.check(urn(name), old.inputs, { title: name, rotationTrigger: trigger });
    assert.deepEqual(checked.failures, []);
    const diff = await plugin.diff(urn(name), old.id, old.outputs, checked.inputs);
    assert.deepEqual(
      { replaces: diff.replaces, deleteBeforeReplace: diff.deleteBeforeReplace, detailed: diff.detailedDiff },
      { replaces: ["rotationTrigger"], deleteBeforeReplace: false, detailed: { rotationTrigger: "UPDATE_REPLACE" } },
    );
    return (await plugin.check(urn(name), {}, { title: name, rotationTrigger: trigger })).inputs;
  }

  function assertRotated(name: string, old: Deployed, agents: number[], created: { id: string; outputs: Props }): void {
    const keys = sim.admin.listKeys().filter((key) => key.title.startsWith(name));
    assert.deepEqual(keys.map((key) => [key.id, key.title]), [[Number(created.id), name]], "exactly one key under the title, the new one");
    assert.equal(sim.admin.getKey(Number(old.id)), undefined, "the old key is deleted");
    assert.deepEqual(sim.admin.getKey(Number(created.id))!.agents.map((agent) => agent.id).sort((a, b) => a - b), agents);
    assert.notEqual(keys[0]!.activationKey, sim.admin.listKeys().find((key) => key.id === Number(old.id))?.activationKey ?? "");
  }

  it("rotates a key with 5 agents in one up: same title, a new secret value, the agents moved, the old key gone; the plan warns on the resource", async () => {
    const old = await declare("prod-linux", { rotationTrigger: "2026" });
    sim.admin.attachAgents(Number(old.id), 5);
    const agents = sim.admin.getKey(Number(old.id))!.agents.map((agent) => agent.id).sort((a, b) => a - b);
    sim.admin.resetLog();
    const inputs = await plan("prod-linux", old, "2027");
    const created = await plugin.create(urn("prod-linux"), inputs);
    assert.ok(isSecret(created.outputs.activationKey), "the new value is a secret");
    await plugin.delete(urn("prod-linux"), old.id, old.outputs);
    assertRotated("prod-linux", old, agents, created);
    const counts = sim.admin.callCounts();
    assert.deepEqual([counts.update, counts.create, counts.changeactkey, counts.delete, counts.blocked], [1, 1, 1, 1, 0], JSON.stringify(counts));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the log RPC is asynchronous
    const planned = plugin.engineLog.find((line) => /will be rotated/.test(line.message));
    assert.equal(planned?.severity, "warning");
    assert.equal(planned?.urn, urn("prod-linux"), "attached to the resource");
  });

  it("a plugin killed after the rename or after the create converges on the next up without a duplicate or a lost agent", async () => {
    for (const killedAfter of ["rename", "create"] as const) {
      const name = `svc-${killedAfter}`;
      const old = await declare(name, { rotationTrigger: "1" });
      sim.admin.attachAgents(Number(old.id), 3);
      const agents = sim.admin.getKey(Number(old.id))!.agents.map((agent) => agent.id).sort((a, b) => a - b);
      const inputs = await plan(name, old, "2");
      if (killedAfter === "rename") {
        // The create never lands (a short retry deadline makes it fail this run).
        await plugin.close();
        plugin = await newPlugin({ retryDeadlineSec: "1" });
        await plan(name, old, "2");
        sim.admin.injectFaults([{ operation: "create", kind: "reset-before", count: 50 }]);
        const failed = await plugin.create(urn(name), inputs).then(() => undefined, (e: unknown) => e);
        assert.ok(failed instanceof HostCallError, String(failed));
        sim.admin.clearFaults();
      } else {
        await plugin.create(urn(name), inputs); // its answer is lost with the process
      }
      await plugin.close();
      plugin = await newPlugin();
      sim.admin.resetLog();
      const created = await plugin.create(urn(name), await plan(name, old, "2"));
      await plugin.delete(urn(name), old.id, old.outputs);
      assertRotated(name, old, agents, created);
      assert.equal(sim.admin.callCounts().create, killedAfter === "rename" ? 1 : 0, killedAfter);
    }
  });

  it("warns at check, on the resource, when a key expires within qualys:expiryWarningDays; 0 turns it off", async () => {
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const checked = await plugin.check(urn("short-lived"), {}, { title: "short-lived", type: "TIME_LIMITED", expireDate: soon });
    assert.deepEqual(checked.failures, []);
    const far = await plugin.check(urn("long-lived"), {}, { title: "long-lived", type: "TIME_LIMITED", expireDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10) });
    assert.deepEqual(far.failures, []);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const warnings = plugin.engineLog.filter((line) => /expires on/.test(line.message));
    assert.deepEqual(warnings.map((line) => [line.severity, line.urn]), [["warning", urn("short-lived")]], JSON.stringify(plugin.engineLog));
    assert.match(warnings[0]!.message, /Key "short-lived" expires on .*, in (10|11) day\(s\)/);

    await plugin.close();
    plugin = await newPlugin({ expiryWarningDays: "0" });
    await plugin.check(urn("short-lived"), {}, { title: "short-lived", type: "TIME_LIMITED", expireDate: soon });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(plugin.engineLog.filter((line) => /expires on/.test(line.message)).length, 0);
    const bad = await plugin.checkConfig({ ...config(), expiryWarningDays: "-3" });
    assert.deepEqual(bad.failures.map((f) => f.property), ["expiryWarningDays"]);
  });

  it("an expired key refreshes cleanly, says it expired, and its next preview only warns", async () => {
    const key = await declare("old-time", { type: "TIME_LIMITED", expireDate: "2030-01-01" });
    assert.equal(key.outputs.expired, false);
    sim.admin.patchKey(Number(key.id), { expireDate: "2020-01-01T00:00:00Z" });
    const refreshed = await plugin.read(urn("old-time"), key.id, key.outputs, key.inputs);
    assert.equal(refreshed.outputs.expired, true);
    const previewed = await plugin.check(urn("old-time"), refreshed.inputs ?? {}, refreshed.inputs ?? {});
    assert.deepEqual(previewed.failures, []);
  });
});
