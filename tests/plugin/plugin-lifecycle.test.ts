import { strict as assert } from "node:assert";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { HostCallError } from "../../provider/testing/fake-engine";
import { isSecret, plain, PLUGIN_URN_PREFIX, PluginProcess, secret, type Props } from "pulumi-qualys/testing";
import { describeEachPlugin, startPlugin } from "../harness/plugin-variants";

/** Fake credentials, built at run time: never a real-looking password in the source. */
const PASSWORD = ["plugin", "test", "pw", String(process.pid)].join("-");
const USER = { username: "plugin-user", password: PASSWORD, role: "manager" as const };

describeEachPlugin("pulumi-resource-qualys: the full lifecycle over gRPC, as the engine drives it", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let plugin: PluginProcess;
  const urn = (name: string): string => `${PLUGIN_URN_PREFIX}${name}`;
  /** The provider inputs the engine sends: the password as a secret. */
  const config = (): Props => ({ apiUrl: sim.url, username: USER.username, password: secret(PASSWORD) });

  beforeEach(async () => {
    sim = await startSimulator({ users: [USER] });
    plugin = await startPlugin({ flags: ["--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:9"] });
  });
  afterEach(async () => {
    await plugin.close();
    await sim.close();
  });

  it("reports the package version, and stops cleanly when the engine interrupts it", async () => {
    assert.equal(await plugin.getPluginInfo(), (require("pulumi-qualys/package.json") as { version: string }).version);
    assert.equal(await plugin.close(), 0, "exit code 0 on the engine's interrupt");
    plugin = await startPlugin();
  });

  it("check config: bad settings fail on their property with the provider's messages; good ones echo the password only as a secret", async () => {
    const missing = await plugin.checkConfig({ apiUrl: sim.url, username: USER.username });
    assert.deepEqual(missing.failures.map((f) => f.property), ["password"]);
    assert.match(missing.failures[0]!.reason, /No Qualys password\. Set it in the stack/);
    const http = await plugin.checkConfig({ ...config(), apiUrl: "http://qualys.example.com" });
    assert.deepEqual(http.failures.map((f) => f.property), ["apiUrl"]);
    assert.match(http.failures[0]!.reason, /uses plain http/);
    const wait = await plugin.checkConfig({ ...config(), maxWaitSec: "soon" });
    assert.deepEqual(wait.failures, [{ property: "maxWaitSec", reason: 'qualys:maxWaitSec must be a positive number of seconds, got "soon".' }]);
    const typed = await plugin.checkConfig({ ...config(), maxWaitSec: 30, allowInsecureHttp: false });
    assert.deepEqual(typed.failures, [], "typed values (YAML) and JSON text (generated SDKs) are both settings");
    assert.ok(isSecret(typed.inputs.password), "the password goes back to state only as a secret");
    const plainPassword = await plugin.checkConfig({ apiUrl: sim.url, username: USER.username, password: PASSWORD });
    assert.ok(isSecret(plainPassword.inputs.password), "even when the engine sent it in plain text (CheckConfig marshals without secrets)");

    const typo = await plugin.checkConfig({ ...config(), maxWaitSecs: "10", version: "0.1.0" });
    assert.deepEqual(typo.failures, []);
    for (let i = 0; i < 100 && plugin.engineLog.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(
      plugin.engineLog.map((l) => [l.severity, l.message.split(" (settings")[0]]),
      [["warning", "maxWaitSecs (did you mean maxWaitSec?) is not a setting of the qualys provider and is ignored"]],
      "a typo is reported; the engine's own version input is not",
    );

    const diff = await plugin.diffConfig(config(), { ...config(), username: "other", maxWaitSec: "10" });
    assert.deepEqual({ changes: diff.changes, replaces: diff.replaces, detailed: diff.detailedDiff }, { changes: "some", replaces: [], detailed: { username: "UPDATE", maxWaitSec: "ADD" } });
    assert.equal((await plugin.diffConfig(config(), config())).changes, "none");
  });

  it("create, no-op diff, detailed diff, update, refresh drift, delete — with the enrolment secret always a secret", async () => {
    const answer = await plugin.configure(config());
    assert.deepEqual(answer, { acceptSecrets: true, supportsPreview: true });
    const bad = await plugin.check(urn("bad"), {}, { title: "", type: "COUNT_LIMITED", modules: ["VM LICENSE"], colour: "red" });
    assert.deepEqual(bad.failures.map((f) => f.property).sort(), ["colour", "countPurchased", "modules", "title"]);

    const declared = { title: "linux-servers", type: "COUNT_LIMITED", countPurchased: 50, modules: ["pc_license", "VM_LICENSE"], ownerId: 1001 };
    const { inputs, failures } = await plugin.check(urn("linux"), {}, declared);
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs.modules, ["PC_LICENSE", "VM_LICENSE"], "checked inputs are normalised by the core");

    sim.admin.resetLog();
    const preview = await plugin.create(urn("linux"), inputs, true);
    assert.equal(preview.id, "");
    assert.equal(preview.outputs.activationKey, "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "preview: the secret is unknown until up");
    assert.equal(sim.admin.requestLog().length, 0, "a preview never calls Qualys");

    const created = await plugin.create(urn("linux"), inputs);
    const key = sim.admin.getKey(Number(created.id))!;
    assert.equal(key.title, "linux-servers");
    assert.ok(isSecret(created.outputs.activationKey), "activationKey is a secret in the answer");
    assert.equal(plain(created.outputs).activationKey, key.activationKey);

    const again = await plugin.check(urn("linux"), inputs, declared);
    const noop = await plugin.diff(urn("linux"), created.id, created.outputs, again.inputs);
    assert.deepEqual({ changes: noop.changes, detailed: noop.detailedDiff }, { changes: "none", detailed: {} });

    const changed = await plugin.check(urn("linux"), inputs, { ...declared, ownerId: 2002, modules: ["VM_LICENSE"] });
    const diff = await plugin.diff(urn("linux"), created.id, created.outputs, changed.inputs);
    assert.deepEqual(
      { changes: diff.changes, replaces: diff.replaces, diffs: diff.diffs, detailed: diff.detailedDiff, has: diff.hasDetailedDiff },
      { changes: "some", replaces: [], diffs: ["ownerId", "modules"], detailed: { ownerId: "UPDATE", modules: "UPDATE" }, has: true },
    );
    const updated = await plugin.update(urn("linux"), created.id, created.outputs, changed.inputs);
    assert.equal(sim.admin.getKey(Number(created.id))!.ownerId, 2002);
    assert.deepEqual(plain(updated.outputs).modules, ["VM_LICENSE"]);
    assert.ok(isSecret(updated.outputs.activationKey));

    sim.admin.patchKey(Number(created.id), { ownerId: 999, modules: ["VM_LICENSE", "PC_LICENSE"] });
    const refreshed = await plugin.read(urn("linux"), created.id, updated.outputs, changed.inputs);
    assert.equal(refreshed.id, created.id);
    assert.equal(refreshed.outputs.ownerId, 999);
    assert.ok(isSecret(refreshed.outputs.activationKey));
    const drift = await plugin.diff(urn("linux"), created.id, refreshed.outputs, changed.inputs);
    assert.deepEqual(drift.detailedDiff, { ownerId: "UPDATE", modules: "UPDATE" }, "preview --diff names exactly what drifted");

    await plugin.delete(urn("linux"), created.id, refreshed.outputs);
    assert.equal(sim.admin.getKey(Number(created.id)), undefined);
    const gone = await plugin.read(urn("linux"), created.id, refreshed.outputs);
    assert.equal(gone.id, "", "refresh of a deleted key drops it from state");
  });

  it("preview with unknowns: no validation of what is not known yet, and an unknown counts as a change", async () => {
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const unknownConfig = await plugin.checkConfig({ ...config(), password: UNKNOWN });
    assert.deepEqual(unknownConfig.failures, [], "a setting from another resource is judged at up");
    await plugin.configure(config());
    const { inputs, failures } = await plugin.check(urn("later"), {}, { title: UNKNOWN, type: "COUNT_LIMITED", countPurchased: UNKNOWN, modules: UNKNOWN });
    assert.deepEqual(failures, []);
    assert.equal(inputs.title, UNKNOWN);
    sim.admin.resetLog();
    const preview = await plugin.create(urn("later"), inputs, true);
    assert.equal(preview.outputs.title, UNKNOWN);
    const existing = await plugin.create(urn("known"), (await plugin.check(urn("known"), {}, { title: "known" })).inputs);
    const diff = await plugin.diff(urn("known"), existing.id, existing.outputs, { ...(await plugin.check(urn("known"), {}, { title: "known", modules: UNKNOWN })).inputs });
    assert.deepEqual({ changes: diff.changes, detailed: diff.detailedDiff }, { changes: "some", detailed: { modules: "UPDATE" } });
    const updatePreview = await plugin.update(urn("known"), existing.id, existing.outputs, { title: "known", modules: UNKNOWN }, true);
    assert.equal(updatePreview.outputs.modules, UNKNOWN);
    assert.equal(sim.admin.requestLog().filter((e) => e.operation === "update").length, 0, "a preview never writes");
  });

  it("a key that Qualys kept without an unlicensed module is still recorded: ErrorResourceInitFailed with its id", async () => {
    await sim.close();
    sim = await startSimulator({ users: [USER], licenses: ["VM_LICENSE"] });
    await plugin.configure(config());
    const { inputs } = await plugin.check(urn("edr"), {}, { title: "edr-key", modules: ["VM_LICENSE", "EDR"] });
    const failure = await plugin.create(urn("edr"), inputs).then(
      () => assert.fail("the create must fail"),
      (error: unknown) => error as HostCallError,
    );
    assert.match(failure.details, /QUALYS|dropped module\(s\) EDR/);
    assert.equal(failure.initFailedId, String(sim.admin.listKeys()[0]!.id));
    assert.ok(isSecret(failure.initFailedProperties!.activationKey));
  });

  it("a misspelled module dropped at create is told from an unlicensed one, and the message says the key is in state", async () => {
    await sim.close();
    sim = await startSimulator({ users: [USER], licenses: ["VM_LICENSE"] });
    await plugin.configure(config());
    const { inputs } = await plugin.check(urn("typo"), {}, { title: "typo-key", modules: ["VM_LICENCE", "PC_LICENSE"] });
    const failure = await plugin.create(urn("typo"), inputs).then(
      () => assert.fail("the create must fail"),
      (error: unknown) => error as HostCallError,
    );
    const id = String(sim.admin.listKeys()[0]!.id);
    assert.equal(failure.initFailedId, id);
    assert.match(failure.details, /VM_LICENCE \(did you mean VM_LICENSE\?\) is not a license Qualys documents/);
    assert.match(failure.details, /the subscription does not license PC_LICENSE/);
    assert.doesNotMatch(failure.details, /does not license (them|VM_LICENCE)/, "the typo is not blamed on licensing");
    assert.match(failure.details, new RegExp(`key "typo-key" \\(id ${id}\\).*recorded in the stack's state`));
  });

  it("import: Read with no saved state returns outputs and inputs; check + diff of those inputs report no change", async () => {
    const existing = sim.admin.insertKey({ title: "legacy-windows", type: "COUNT_LIMITED", countPurchased: 20, modules: ["VM_LICENSE"], ownerId: 77 });
    await plugin.configure(config());
    const imported = await plugin.read(urn("legacy"), String(existing.id));
    assert.equal(imported.id, String(existing.id));
    assert.ok(isSecret(imported.outputs.activationKey));
    assert.ok(imported.inputs, "inputs are returned, or the engine says the provider cannot import");
    assert.equal(imported.inputs!.activationKey, undefined, "the enrolment secret is an output, never an input");
    assert.deepEqual(
      { title: imported.inputs!.title, type: imported.inputs!.type, countPurchased: imported.inputs!.countPurchased, ownerId: imported.inputs!.ownerId },
      { title: "legacy-windows", type: "COUNT_LIMITED", countPurchased: 20, ownerId: 77 },
    );
    const checked = await plugin.check(urn("legacy"), {}, imported.inputs!);
    assert.deepEqual(checked.failures, []);
    const diff = await plugin.diff(urn("legacy"), imported.id, imported.outputs, checked.inputs);
    assert.equal(diff.changes, "none", "the next `pulumi up` shows no change");
    assert.equal((await plugin.read(urn("nothing"), "424242")).id, "", "an id Qualys does not have is not found");
  });

  it("every other method answers as the engine expects; the password is in no answer, log line or error", async () => {
    await plugin.configure(config());
    const { Empty } = require("../../provider/engine/stub-modules") as typeof import("../../provider/engine/stub-modules");
    const providerPb = require("@pulumi/pulumi/proto/provider_pb") as typeof import("@pulumi/pulumi/proto/provider_pb");
    await plugin.raw("cancel", new Empty());
    const mapping = await plugin.raw<import("@pulumi/pulumi/proto/provider_pb").GetMappingResponse>("getMapping", new providerPb.GetMappingRequest().setKey("terraform"));
    assert.equal(mapping.getProvider(), "");
    const handshake = await plugin.raw<import("@pulumi/pulumi/proto/provider_pb").ProviderHandshakeResponse>("handshake", new providerPb.ProviderHandshakeRequest());
    assert.equal(handshake.getAcceptSecrets(), true);
    const construct = await plugin.raw("construct", new providerPb.ConstructRequest()).catch((error: HostCallError) => error);
    assert.equal((construct as HostCallError).code, 12, "UNIMPLEMENTED");
    const other = await plugin.check("urn:pulumi:test::p::qualys:index:Other::x", {}, {}).catch((error: HostCallError) => error);
    assert.match((other as HostCallError).details, /no resource type qualys:index:Other/);

    sim.admin.injectFaults([{ kind: "unavailable-503", operation: "create" }]);
    const { inputs } = await plugin.check(urn("k"), {}, { title: "k1", modules: ["VM_LICENSE"] });
    await plugin.create(urn("k"), inputs);
    const denied = await plugin.configure({ ...config(), password: secret("wrong-" + PASSWORD) }).then(() => plugin.create(urn("k2"), { ...inputs, title: "k2" })).catch((error: HostCallError) => error);
    assert.ok(denied instanceof HostCallError, "a wrong password fails the write");
    const everything = [...plugin.answers, ...plugin.engineLog.map((l) => l.message), denied.details, plugin.stderr].join("\n");
    assert.doesNotMatch(everything, new RegExp(PASSWORD), "the password appears nowhere");
  });
});
