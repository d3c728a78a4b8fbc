import { strict as assert } from "node:assert";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { isSecret, plain, PLUGIN_URN_PREFIX, PluginProcess, secret, type Props } from "pulumi-qualys/testing";
import { describeEachPlugin, startPlugin } from "../harness/plugin-variants";

/** Fake passwords, built at run time. */
const password = (who: string): string => [who, "fake", "pw", String(process.pid)].join("-");
const ALICE = { username: "alice", password: password("alice"), role: "manager" as const };
const BOB = { username: "bob", password: password("bob"), role: "manager" as const };
const CAROL = { username: "carol", password: password("carol"), role: "manager" as const };

describeEachPlugin("pulumi-resource-qualys: one provider instance per subscription, and the functions", function () {
  this.timeout(60_000);
  let eu: RunningSimulator;
  let us: RunningSimulator;
  const plugins: PluginProcess[] = [];
  const start = async (sim: RunningSimulator, user: { username: string; password: string }): Promise<PluginProcess> => {
    const plugin = await startPlugin();
    plugins.push(plugin);
    await plugin.configure({ apiUrl: sim.url, username: user.username, password: secret(user.password) });
    return plugin;
  };
  const create = async (plugin: PluginProcess, title: string, extra: Props = {}): Promise<{ id: string; outputs: Props }> => {
    const { inputs, failures } = await plugin.check(`${PLUGIN_URN_PREFIX}${title}`, {}, { title, modules: ["VM_LICENSE"], ...extra });
    assert.deepEqual(failures, []);
    return plugin.create(`${PLUGIN_URN_PREFIX}${title}`, inputs);
  };

  beforeEach(async () => {
    eu = await startSimulator({ users: [ALICE, CAROL] });
    us = await startSimulator({ users: [BOB] });
  });
  afterEach(async () => {
    for (const plugin of plugins.splice(0)) await plugin.close();
    await eu.close();
    await us.close();
  });

  it("two explicit providers (different users and URLs) each manage their own keys with their own credentials", async () => {
    const [alice, bob, carol] = [await start(eu, ALICE), await start(us, BOB), await start(eu, CAROL)];
    const a = await create(alice, "eu-linux");
    const b = await create(bob, "us-linux");
    const c = await create(carol, "eu-windows");
    assert.deepEqual(eu.admin.listKeys().map((k) => [k.title, k.createdBy]).sort(), [["eu-linux", "alice"], ["eu-windows", "carol"]]);
    assert.deepEqual(us.admin.listKeys().map((k) => [k.title, k.createdBy]), [["us-linux", "bob"]]);
    // Every call of each instance authenticated as its own user, against its own URL.
    assert.deepEqual([...new Set(us.admin.requestLog().map((e) => e.user))], ["bob"]);
    assert.deepEqual([...new Set(eu.admin.requestLog().map((e) => e.user))].sort(), ["alice", "carol"]);
    // Each refreshes and deletes in its own subscription.
    assert.equal((await bob.read(`${PLUGIN_URN_PREFIX}us-linux`, b.id, b.outputs)).id, b.id);
    await alice.delete(`${PLUGIN_URN_PREFIX}eu-linux`, a.id, a.outputs);
    await carol.delete(`${PLUGIN_URN_PREFIX}eu-windows`, c.id, c.outputs);
    assert.equal(eu.admin.listKeys().length, 0);
    assert.equal(us.admin.listKeys().length, 1, "bob's key is untouched");
    const secrets = [ALICE, BOB, CAROL].map((u) => u.password).join("|");
    const everything = plugins.flatMap((p) => [...p.answers, ...p.engineLog.map((l) => l.message), p.stderr]).join("\n");
    assert.doesNotMatch(everything, new RegExp(secrets));
  });

  it("a password given as a secret is the one used: a wrong one is refused by Qualys", async () => {
    const wrong = await startPlugin();
    plugins.push(wrong);
    await wrong.configure({ apiUrl: eu.url, username: ALICE.username, password: secret("not-" + ALICE.password) });
    const { inputs } = await wrong.check(`${PLUGIN_URN_PREFIX}x`, {}, { title: "x" });
    await assert.rejects(wrong.create(`${PLUGIN_URN_PREFIX}x`, inputs), (error: Error) => /QUALYS|credentials|401|refused/i.test(error.message) && !error.message.includes(ALICE.password));
    assert.equal(eu.admin.listKeys().length, 0);
  });

  it("getActivationKey by id or by title, and getActivationKeys with filters, through Invoke", async () => {
    const alice = await start(eu, ALICE);
    const linux = await create(alice, "linux-servers", { modules: ["VM_LICENSE", "PC_LICENSE"] });
    await create(alice, "linux-desktops", { isDisabled: true });
    await create(alice, "windows-servers", { modules: ["PC_LICENSE"] });

    const byId = await alice.invoke("qualys:index:getActivationKey", { id: linux.id });
    assert.deepEqual(byId.failures, []);
    assert.equal(byId.result!.id, linux.id);
    assert.ok(isSecret(byId.result!.activationKey), "the enrolment secret is a secret in the function result too");
    assert.deepEqual(plain(byId.result!).modules, ["PC_LICENSE", "VM_LICENSE"]);
    assert.equal(byId.result!.adopt, undefined);
    const byTitle = await alice.invoke("qualys:index:getActivationKey", { title: "linux-servers" });
    assert.equal(byTitle.result!.id, linux.id);

    const titles = async (args: Props): Promise<string[]> => {
      const { result, failures } = await alice.invoke("qualys:index:getActivationKeys", args);
      assert.deepEqual(failures, []);
      const keys = result!.keys as Props[];
      assert.ok(keys.every((k) => isSecret(k.activationKey)));
      return keys.map((k) => String(k.title)).sort();
    };
    assert.deepEqual(await titles({}), ["linux-desktops", "linux-servers", "windows-servers"], "disabled keys included by default");
    assert.deepEqual(await titles({ disabled: true }), ["linux-desktops"]);
    assert.deepEqual(await titles({ disabled: false, titlePrefix: "linux-" }), ["linux-servers"]);
    assert.deepEqual(await titles({ module: "pc_license" }), ["linux-servers", "windows-servers"]);

    const neither = await alice.invoke("qualys:index:getActivationKey", {});
    assert.deepEqual(neither.failures.map((f) => f.property), ["id"]);
    const typo = await alice.invoke("qualys:index:getActivationKeys", { prefix: "linux" });
    assert.match(typo.failures[0]!.reason, /prefix is not an argument of getActivationKeys/);
    await assert.rejects(alice.invoke("qualys:index:getActivationKey", { title: "nope" }), /no activation key has this exact title/);
    await assert.rejects(alice.invoke("qualys:index:getKeys", {}), /has no function qualys:index:getKeys/);
  });
});
