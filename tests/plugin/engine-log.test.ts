import { strict as assert } from "node:assert";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { PLUGIN_URN_PREFIX, PluginProcess, secret } from "pulumi-qualys/testing";
import { describeEachPlugin, startPlugin } from "../harness/plugin-variants";
import { eventually } from "../support/eventually";

const USER = { username: "log-user", password: ["log", "fake", "pw", String(process.pid)].join("-"), role: "manager" as const };

describeEachPlugin("pulumi-resource-qualys: waits, retries and warnings reach the engine's Log with the resource's URN", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let plugin: PluginProcess;
  beforeEach(async () => {
    sim = await startSimulator({ users: [USER] });
    plugin = await startPlugin();
    await plugin.configure({ apiUrl: sim.url, username: USER.username, password: secret(USER.password) });
  });
  afterEach(async () => {
    await plugin.close();
    await sim.close();
  });

  it("a rate-limit wait deep in the scheduler is a warning on the key's row", async () => {
    const urn = `${PLUGIN_URN_PREFIX}rate-limited`;
    const { inputs } = await plugin.check(urn, {}, { title: "rate-limited" });
    // The server asks to wait 0 s: the scheduler's wait and retry run for real, in milliseconds.
    sim.admin.injectFaults([{ kind: "rate-409", operation: "create", toWaitSec: 0 }]);
    const created = await plugin.create(urn, inputs);
    assert.ok(sim.admin.getKey(Number(created.id)));
    await eventually(() => plugin.engineLog.some((l) => /Qualys rate limit: waiting/.test(l.message)), "the wait was logged");
    const wait = plugin.engineLog.find((l) => /Qualys rate limit: waiting/.test(l.message))!;
    assert.equal(wait.severity, "warning");
    assert.equal(wait.urn, urn, "attached to the resource the wait is for");
    assert.match(wait.message, /before retrying create key "rate-limited" \(attempt 2 of 8/);
  });

  it("check warnings (an unknown license) carry the URN too; lines of two resources never mix", async () => {
    const [first, second] = [`${PLUGIN_URN_PREFIX}first`, `${PLUGIN_URN_PREFIX}second`];
    await Promise.all([plugin.check(first, {}, { title: "first", modules: ["VM_LICENSE", "FOO_LICENSE"] }), plugin.check(second, {}, { title: "second", modules: ["BAR_LICENSE"] })]);
    await eventually(() => plugin.engineLog.length >= 2, "two warnings");
    const byUrn = Object.fromEntries(plugin.engineLog.map((l) => [l.urn, l.message]));
    assert.match(byUrn[first]!, /Key "first": module\(s\) FOO_LICENSE are not among the licenses/);
    assert.match(byUrn[second]!, /Key "second": module\(s\) BAR_LICENSE/);
  });
});
