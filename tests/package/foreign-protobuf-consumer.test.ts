import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { Empty } from "../../provider/engine/stub-modules";
import { FakeEngine } from "../../provider/testing/fake-engine";
import { ACTIVATION_KEY_TYPE, DynamicProviderHost, plain, PLUGIN_URN_PREFIX, PluginProcess, secret } from "pulumi-qualys/testing";
import { packedTarball } from "../harness/packed-tarball";
import { serializedProvider } from "../../provider/testing/serialized-provider";
import { SIM_USER } from "../harness/test-stack";
import { eventually } from "../support/eventually";

/** What the consumer puts at its top level, besides the package and @pulumi/pulumi. */
const FOREIGN = { "google-protobuf": "^4.0.0", "@grpc/grpc-js": "1.13.4" };

/**
 * A project whose tree holds another google-protobuf (4) and another @grpc/grpc-js minor (1.13)
 * at its top level, as teams with other gRPC code have: npm then nests copies, and a plugin or
 * dynamic host that used its own copies failed every answer of type Empty ("13 INTERNAL: Error
 * serializing response": Delete, Cancel, Attach) and lost every warning (the Engine client refused
 * foreign credentials). Here every RPC the engine sends answers, through the installed package.
 */
describe("a consumer with google-protobuf@4 and @grpc/grpc-js@1.13 at its top level (slow: packs, then npm install)", function () {
  this.timeout(300_000);
  let dir: string;
  let sim: RunningSimulator;
  let plugin: PluginProcess | undefined;
  let host: DynamicProviderHost | undefined;
  const version = (require("pulumi-qualys/package.json") as { version: string }).version;
  const installedVersion = (name: string): string => (JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-foreign-grpc-"));
    const tarball = basename(packedTarball(dir));
    const pulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: { "pulumi-qualys": `file:./${tarball}`, "@pulumi/pulumi": pulumiVersion, ...FOREIGN } }));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "pipe" });
    sim = await startSimulator();
  });
  after(async () => {
    await plugin?.close();
    await host?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the tree is the troublesome one: the foreign versions at the top", () => {
    assert.match(installedVersion("google-protobuf"), /^4\./);
    assert.equal(installedVersion("@grpc/grpc-js"), FOREIGN["@grpc/grpc-js"]);
    assert.match(installedVersion("@pulumi/pulumi/node_modules/google-protobuf"), /^3\./, "@pulumi/pulumi's stubs get a nested copy of their own");
  });

  it("the installed plugin answers every RPC the engine sends, and a rate-limit wait reaches the engine's Log with the URN", async () => {
    plugin = await PluginProcess.start({ bin: join(dir, "node_modules", ".bin", "pulumi-resource-qualys") });
    const urn = `${PLUGIN_URN_PREFIX}foreign`;
    assert.equal(await plugin.getPluginInfo(), version);
    assert.equal(JSON.parse(await plugin.getSchema()).name, "qualys");
    const config = { apiUrl: sim.url, username: SIM_USER.username, password: secret(SIM_USER.password) };
    assert.deepEqual((await plugin.checkConfig(config)).failures, []);
    assert.equal((await plugin.diffConfig(config, config)).changes, "none");
    await plugin.configure(config);
    const { inputs } = await plugin.check(urn, {}, { title: "foreign", modules: ["VM_LICENSE"] });
    sim.admin.injectFaults([{ kind: "rate-409", operation: "create", toWaitSec: 0 }]);
    const created = await plugin.create(urn, inputs);
    await eventually(() => plugin!.engineLog.some((l) => l.urn === urn && /Qualys rate limit: waiting/.test(l.message)), "the wait reached the engine's Log with the URN");
    const news = (await plugin.check(urn, inputs, { title: "foreign-2", modules: ["VM_LICENSE"] })).inputs;
    assert.equal((await plugin.diff(urn, created.id, created.outputs, news)).changes, "some");
    const updated = await plugin.update(urn, created.id, created.outputs, news);
    assert.equal((await plugin.read(urn, created.id, updated.outputs)).id, created.id);
    const found = await plugin.invoke("qualys:index:getActivationKey", { id: created.id });
    assert.deepEqual(found.failures, []);
    assert.equal(plain(found.result)?.title, "foreign-2");
    await plugin.delete(urn, created.id, updated.outputs);
    assert.equal(sim.admin.listKeys().length, 0);
    await plugin.raw("cancel", new Empty());
    // Attach hands the plugin another engine: its next warning goes there, through the stubs' client.
    const attached = await FakeEngine.start();
    try {
      await plugin.raw("attach", new pluginPb.PluginAttach().setAddress(attached.address));
      await plugin.check(`${PLUGIN_URN_PREFIX}attached`, {}, { title: "attached", modules: ["FOO_LICENSE"] });
      await eventually(() => attached.log.some((l) => l.urn === `${PLUGIN_URN_PREFIX}attached`), "a warning after Attach, at the attached engine");
    } finally {
      await attached.close();
    }
    assert.ok((await plugin.raw<providerPb.GetMappingResponse>("getMapping", new providerPb.GetMappingRequest().setKey("terraform"))) instanceof providerPb.GetMappingResponse);
  });

  it("the consumer's dynamic-provider host sends its warnings to the engine's Log", async () => {
    host = await DynamicProviderHost.start({ projectDir: dir, hostScript: require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [dir] }) });
    await host.configure({ "qualys:apiUrl": sim.url, "qualys:username": SIM_USER.username, "qualys:password": SIM_USER.password });
    const installedShim = require(join(dir, "node_modules/pulumi-qualys/dist/provider/dynamic/provider-shim.js")) as { activationKeyProvider: unknown };
    const __provider = await serializedProvider(installedShim.activationKeyProvider);
    const urn = `urn:pulumi:dev::consumer::${ACTIVATION_KEY_TYPE}::dynamic`;
    const { inputs } = await host.check(urn, {}, { __provider, title: "dynamic", modules: ["VM_LICENSE"] });
    sim.admin.injectFaults([{ kind: "rate-409", operation: "create", toWaitSec: 0 }]);
    const created = await host.create(urn, inputs);
    await eventually(() => host!.engineLog.some((l) => l.severity === "warning" && /Qualys rate limit: waiting/.test(l.message)), `the wait reached the engine's Log: ${host!.stderr}`);
    await host.delete(urn, created.id, created.outputs);
    assert.equal(sim.admin.getKey(Number(created.id)), undefined);
  });
});
