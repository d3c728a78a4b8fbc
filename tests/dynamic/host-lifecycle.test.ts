import { strict as assert } from "node:assert";
import { HostCallError } from "pulumi-qualys/testing";
import { SIM_USER, startTestStack, type TestStack } from "../harness/test-stack";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("ActivationKey through the real dynamic-provider host (gRPC)", function () {
  this.timeout(60_000);
  let stack: TestStack;
  afterEach(() => stack?.close());

  it("Configure → Check → Create → Diff → Read → Update → Delete", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    const urn = stack.urn("linux-servers");
    const declared = { title: "linux-servers", type: "COUNT_LIMITED", countPurchased: 500, ownerId: 364812443, modules: ["pc_license", "VM_LICENSE", "PC_LICENSE"], tagIds: [103180088, 103180087], expireDate: undefined };

    const checked = await host.check(urn, {}, stack.inputs(declared));
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(checked.inputs.modules, ["PC_LICENSE", "VM_LICENSE"], "modules normalised: case, duplicates, order");
    assert.deepEqual(checked.inputs.tagIds, [103180087, 103180088]);

    const created = await host.create(urn, checked.inputs);
    const onServer = sim.admin.getKey(Number(created.id));
    assert.ok(onServer, "the Pulumi id is the Qualys key id");
    assert.equal(onServer.title, "linux-servers");
    assert.equal(onServer.ownerId, 364812443);
    assert.deepEqual([...onServer.modules].sort(), ["PC_LICENSE", "VM_LICENSE"]);
    assert.equal(created.outputs.activationKey, onServer.activationKey);
    assert.equal(created.outputs.status, "ACTIVE");
    assert.equal(created.outputs.countUsed, 0);
    assert.ok(typeof created.outputs.datePurchased === "string");

    // The same program again: no change, even with modules written differently.
    const again = await host.check(urn, checked.inputs, stack.inputs({ ...declared, modules: ["VM_LICENSE", "pc_license"] }));
    assert.equal((await host.diff(urn, created.id, created.outputs, again.inputs)).changes, "none");

    const read = await host.read(urn, created.id, created.outputs);
    assert.equal(read.id, created.id);
    assert.deepEqual(withoutProvider(read.outputs), withoutProvider(created.outputs));
    assert.equal(read.inputs?.title, "linux-servers");

    const changed = await host.check(urn, checked.inputs, stack.inputs({ ...declared, title: "linux-fleet", countPurchased: 600, modules: ["VM_LICENSE"] }));
    const diff = await host.diff(urn, created.id, created.outputs, changed.inputs);
    assert.deepEqual(diff, { changes: "some", replaces: [], deleteBeforeReplace: false }, "everything updates in place");
    const updated = await host.update(urn, created.id, created.outputs, changed.inputs);
    assert.equal(updated.outputs.title, "linux-fleet");
    assert.equal(updated.outputs.countPurchased, 600);
    assert.deepEqual(updated.outputs.modules, ["VM_LICENSE"], "read back after update: the update response omits modules");
    assert.equal(sim.admin.getKey(Number(created.id))?.title, "linux-fleet");

    await host.delete(urn, created.id, updated.outputs);
    assert.equal(sim.admin.listKeys().length, 0);
    // Deleting a key that is already gone succeeds (destroy after an out-of-band delete).
    await host.delete(urn, created.id, updated.outputs);
  });

  it("Check names the property and the fix, at preview time, without calling Qualys", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    sim.admin.resetLog();
    const { failures } = await host.check(stack.urn("bad"), {}, stack.inputs({ title: " ", type: "COUNT_LIMITED", ownerId: -3, modules: ["VM LICENSE"], tagIds: [1.5], colour: "red" }));
    const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    assert.match(byProperty.title ?? "", /title must not be empty/);
    assert.match(byProperty.countPurchased ?? "", /required for a COUNT_LIMITED key.*integer ≥ 1/);
    assert.match(byProperty.ownerId ?? "", /positive whole number.*-3/);
    assert.match(byProperty.modules ?? "", /license name such as VM_LICENSE/);
    assert.match(byProperty.tagIds ?? "", /whole number/);
    assert.match(byProperty.colour ?? "", /not an ActivationKey input/);
    const past = await host.check(stack.urn("old"), {}, stack.inputs({ title: "old", type: "TIME_LIMITED", expireDate: "2020-01-01" }));
    assert.match(past.failures[0]?.reason ?? "", /expireDate 2020-01-01 is not in the future/);
    assert.equal(Object.values(sim.admin.callCounts()).reduce((a, b) => a + b, 0), 0, "check never calls Qualys");
  });

  it("never validates or coerces values unknown during preview, and diffs them as changes", async () => {
    stack = await startTestStack();
    const { host } = stack;
    const urn = stack.urn("preview");
    const { failures, inputs } = await host.check(urn, {}, stack.inputs({ title: UNKNOWN, type: "COUNT_LIMITED", countPurchased: UNKNOWN, ownerId: UNKNOWN, modules: UNKNOWN }));
    assert.deepEqual(failures, []);
    assert.equal(inputs.countPurchased, UNKNOWN);
    assert.equal(inputs.modules, UNKNOWN);
    const diff = await host.diff(urn, "1", { title: "x", type: "COUNT_LIMITED", countPurchased: 5, modules: [], tagIds: [] }, inputs);
    assert.equal(diff.changes, "some");
  });

  it("survives 50 concurrent creates right after Configure (the configure race)", async () => {
    // No QUALYS_* fallback: a create that ran before configure() stored the config must fail.
    stack = await startTestStack({ configure: false, env: { QUALYS_USERNAME: "", QUALYS_PASSWORD: "" } });
    const { host, sim } = stack;
    // Like the engine, finish the Configure RPC first: it only stores the config in the host. The
    // provider's configure() runs inside the first create (getProvider), which caches the provider
    // before awaiting it — the other 49 creates use it at once. That is the race.
    await host.configure(stack.config);
    const creates = Array.from({ length: 50 }, (_, i) => host.create(stack.urn(`k${i}`), stack.inputs({ title: `key-${i}`, type: "UNLIMITED", modules: [], tagIds: [], isDisabled: false, applyOnAgents: false, suspendSelfPatch: false, adopt: false })));
    const results = await Promise.all(creates);
    assert.equal(new Set(results.map((r) => r.id)).size, 50);
    assert.equal(sim.admin.listKeys().length, 50);
  });

  it("works from QUALYS_* environment variables alone (destroy/refresh with state only)", async () => {
    // The stack config names only the endpoint; the credentials come from the environment.
    stack = await startTestStack({ configure: false, env: { QUALYS_USERNAME: SIM_USER.username, QUALYS_PASSWORD: SIM_USER.password } });
    const { host, sim } = stack;
    const key = sim.admin.insertKey({ title: "from-env" });
    await host.configure({ "qualys:apiUrl": sim.url });
    const read = await host.read(stack.urn("from-env"), String(key.id), stack.inputs({}));
    assert.equal(read.outputs.title, "from-env");
    await host.delete(stack.urn("from-env"), String(key.id), read.outputs);
    assert.equal(sim.admin.listKeys().length, 0);
  });

  it("fails with one clear error naming both ways to set missing credentials", async () => {
    stack = await startTestStack({ configure: false, env: { QUALYS_USERNAME: "", QUALYS_PASSWORD: "" } });
    await stack.host.configure({ "qualys:apiUrl": stack.sim.url });
    await assert.rejects(
      stack.host.create(stack.urn("x"), stack.inputs({ title: "x", type: "UNLIMITED", modules: [], tagIds: [] })),
      (e: unknown) => e instanceof HostCallError && /qualys:username/.test(e.details) && /--secret qualys:password/.test(e.details) && /QUALYS_USERNAME and QUALYS_PASSWORD/.test(e.details),
    );
  });

  it("fails Check (pulumi preview) on bad provider configuration, naming the setting, without an API call", async () => {
    stack = await startTestStack({ configure: false, env: { QUALYS_USERNAME: "", QUALYS_PASSWORD: "" } });
    const { host, sim } = stack;
    await host.configure({ ...stack.config, "qualys:maxWaitSec": "five minutes" });
    await assert.rejects(
      host.check(stack.urn("x"), {}, stack.inputs({ title: "x", type: "UNLIMITED" })),
      (e: unknown) => e instanceof HostCallError && /qualys:maxWaitSec must be a positive number of seconds, got "five minutes"/.test(e.details),
    );
    const missing = await stack.newHost();
    try {
      await missing.configure({ "qualys:apiUrl": sim.url });
      await assert.rejects(
        missing.check(stack.urn("x"), {}, stack.inputs({ title: "x", type: "UNLIMITED" })),
        (e: unknown) => e instanceof HostCallError && /--secret qualys:password/.test(e.details),
      );
    } finally {
      await missing.close();
    }
    assert.deepEqual(sim.admin.requestLog(), [], "nothing was sent to Qualys");
  });

  it("reports modules the subscription does not license at create time, keeping the created key in state", async () => {
    stack = await startTestStack({ simulator: { licenses: ["VM_LICENSE"] } });
    const { host, sim } = stack;
    const inputs = (await host.check(stack.urn("edr"), {}, stack.inputs({ title: "edr", modules: ["VM_LICENSE", "EDR"] }))).inputs;
    const error = await host.create(stack.urn("edr"), inputs).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof HostCallError, String(error));
    assert.match(error.details, /dropped module\(s\) EDR from key "edr".*does not license/);
    assert.equal(error.initFailedId, String(sim.admin.listKeys()[0]?.id), "the id reaches the engine: nothing is lost");
    // The engine stores the error's properties verbatim as the key's outputs; refresh and destroy
    // later load the provider from them, so they must carry __provider like any other outputs.
    const stored = error.initFailedProperties ?? {};
    assert.equal(stored.__provider, stack.providerText);
    assert.deepEqual(stored.modules, ["VM_LICENSE"], "the outputs say what Qualys really holds");
    const fresh = await stack.newHost();
    try {
      assert.equal((await fresh.read(stack.urn("edr"), error.initFailedId!, stored)).id, error.initFailedId);
      await fresh.delete(stack.urn("edr"), error.initFailedId!, stored);
    } finally {
      await fresh.close();
    }
    assert.equal(sim.admin.listKeys().length, 0, "the key is still under management: destroy removes it");
  });

  it("reports modules dropped by an update the same way, with outputs refresh and destroy can use", async () => {
    stack = await startTestStack({ simulator: { licenses: ["VM_LICENSE"] } });
    const { host, sim } = stack;
    const urn = stack.urn("grow");
    const first = (await host.check(urn, {}, stack.inputs({ title: "grow", modules: ["VM_LICENSE"] }))).inputs;
    const created = await host.create(urn, first);
    const wider = (await host.check(urn, first, stack.inputs({ title: "grow", modules: ["VM_LICENSE", "EDR"], isDisabled: true }))).inputs;
    const error = await host.update(urn, created.id, created.outputs, wider).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof HostCallError, String(error));
    assert.match(error.details, /dropped module\(s\) EDR/);
    assert.equal(error.initFailedId, created.id);
    const stored = error.initFailedProperties ?? {};
    assert.equal(stored.isDisabled, true, "the rest of the update landed and is recorded");
    assert.equal(stored.__provider, stack.providerText);
    await host.delete(urn, created.id, stored);
    assert.equal(sim.admin.listKeys().length, 0);
  });

  it("refuses a rename onto a title another key has, with advice that fits an update", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    sim.admin.insertKey({ title: "taken" });
    const urn = stack.urn("mine");
    const first = (await host.check(urn, {}, stack.inputs({ title: "mine" }))).inputs;
    const created = await host.create(urn, first);
    const renamed = (await host.check(urn, first, stack.inputs({ title: "taken" }))).inputs;
    const error = await host.update(urn, created.id, created.outputs, renamed).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof HostCallError, String(error));
    assert.match(error.details, /Titles are unique.*rename or delete the key that has it first/);
    assert.doesNotMatch(error.details, /adopt: true/, "adopt acts on create only");
    assert.equal(sim.admin.getKey(Number(created.id))?.title, "mine");
  });

  it("explains how to move agents when Qualys refuses to delete a key in use", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    const created = await host.create(stack.urn("busy"), (await host.check(stack.urn("busy"), {}, stack.inputs({ title: "busy" }))).inputs);
    sim.admin.attachAgents(Number(created.id), 2);
    await assert.rejects(host.delete(stack.urn("busy"), created.id, created.outputs), (e: unknown) => e instanceof HostCallError && /changeactkey/.test(e.details));
    assert.equal(sim.admin.listKeys().length, 1);
  });

  it("reports a key deleted out of band as gone (empty id), so refresh drops it", async () => {
    stack = await startTestStack();
    const { host, sim } = stack;
    const created = await host.create(stack.urn("gone"), (await host.check(stack.urn("gone"), {}, stack.inputs({ title: "gone" }))).inputs);
    sim.admin.deleteKey(Number(created.id));
    assert.equal((await host.read(stack.urn("gone"), created.id, created.outputs)).id, "");
  });

  it("never lets the password reach outputs, the host's stderr or the engine log", async () => {
    stack = await startTestStack({ env: { QUALYS_DEBUG: "1" } });
    const { host } = stack;
    const created = await host.create(stack.urn("k"), (await host.check(stack.urn("k"), {}, stack.inputs({ title: "k" }))).inputs);
    await host.read(stack.urn("k"), created.id, created.outputs);
    const seen = JSON.stringify(created.outputs) + host.stderr + JSON.stringify(host.engineLog);
    assert.ok(!seen.includes(SIM_USER.password));
    assert.ok(!/Basic [A-Za-z0-9+/=]{8,}/.test(seen));
    assert.ok(host.engineLog.some((l) => /debug: /.test(l.message)), "QUALYS_DEBUG lines reach the engine log");
  });
});

function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}
