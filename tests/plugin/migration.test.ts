import { strict as assert } from "node:assert";
import { PLUGIN_URN_PREFIX, PluginProcess, secret } from "pulumi-qualys/testing";
import { SIM_USER, startTestStack, type TestStack } from "../harness/test-stack";

/**
 * README, "Moving a stack from the dynamic resource to the plugin": the plugin takes over a key the
 * dynamic resource created by importing its id, with the program's declaration unchanged, so the
 * move creates no key and changes none.
 */
describe("moving from the dynamic resource to the plugin resource keeps every key", function () {
  this.timeout(60_000);
  let stack: TestStack;
  let plugin: PluginProcess | undefined;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await plugin?.close();
    await stack.close();
  });

  it("the import of a dynamic key's id with the same declaration plans no change and calls no write", async () => {
    const declaration = { title: "linux-servers", type: "COUNT_LIMITED", countPurchased: 500, ownerId: 364812443, modules: ["VM_LICENSE", "PC_LICENSE"] };
    const dynamicUrn = stack.urn("linux-servers");
    const { inputs } = await stack.host.check(dynamicUrn, {}, stack.inputs(declaration));
    const dynamicKey = await stack.host.create(dynamicUrn, inputs);

    plugin = await PluginProcess.start();
    await plugin.configure({ apiUrl: stack.sim.url, username: SIM_USER.username, password: secret(SIM_USER.password) });
    stack.sim.admin.resetLog();
    const urn = `${PLUGIN_URN_PREFIX}linux-servers`;
    const imported = await plugin.read(urn, dynamicKey.id);
    const checked = await plugin.check(urn, {}, declaration);
    assert.deepEqual(checked.failures, []);
    const diff = await plugin.diff(urn, imported.id, imported.outputs, checked.inputs);
    assert.equal(diff.changes, "none", `no change planned (diff: ${JSON.stringify(diff.detailedDiff)})`);
    const writes = stack.sim.admin.requestLog().filter((e) => e.operation !== "search" && e.operation !== "get");
    assert.deepEqual(writes, [], "importing wrote nothing");
    assert.equal(stack.sim.admin.listKeys().length, 1);
  });
});
