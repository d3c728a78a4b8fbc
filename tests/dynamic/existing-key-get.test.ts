import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as qualys from "../../provider";
import { ProgramUnderMocks } from "pulumi-qualys/testing";
import { startTestStack, type TestStack } from "../harness/test-stack";

/**
 * `ActivationKey.get` (README, "Existing keys"): `pulumi import` does not work for dynamic
 * resources (pulumi/pulumi#16175), but Resource.get hands the program's props — `__provider`
 * included — to `read`, so an existing key can be looked up by its Qualys id.
 */
describe("ActivationKey.get: reading an existing key under the mocks harness", function () {
  this.timeout(60_000);
  let stack: TestStack;
  afterEach(() => stack?.close());

  it("reads the key through the host, returns the activation key as a secret, and never writes or deletes it", async () => {
    stack = await startTestStack();
    const { sim } = stack;
    const existing = sim.admin.insertKey({ title: "legacy", type: "COUNT_LIMITED", countPurchased: 40, modules: ["PC_LICENSE", "VM_LICENSE"] });
    const program = new ProgramUnderMocks(stack.newHost, () => {
      const legacy = qualys.ActivationKey.get("legacy", String(existing.id));
      return { key: legacy, id: legacy.id, title: legacy.title, countPurchased: legacy.countPurchased, modules: legacy.modules, activationKey: legacy.activationKey };
    });
    sim.admin.resetLog();

    const run = await program.up();
    assert.deepEqual(run.steps.map((s) => s.op), ["read"]);
    assert.equal(await valueOf(program.exports.id), String(existing.id));
    assert.equal(await valueOf(program.exports.title), "legacy");
    assert.equal(await valueOf(program.exports.countPurchased), 40);
    assert.deepEqual(await valueOf(program.exports.modules), ["PC_LICENSE", "VM_LICENSE"]);
    assert.equal(await valueOf(program.exports.activationKey), existing.activationKey);
    assert.equal(await pulumi.isSecret(program.exports.activationKey as pulumi.Output<string>), true, "activationKey is a secret for a read key too");
    const key = program.exports.key as qualys.ActivationKey;
    for (const output of [key.ownerId, key.networkId, key.expireDate, key.tagIds, key.isDisabled, key.dateLastUsed]) {
      assert.ok(pulumi.Output.isInstance(output), "every declared output is an Output, even one the program did not set");
    }
    const counts = sim.admin.callCounts();
    assert.equal((counts.create ?? 0) + (counts.update ?? 0) + (counts.delete ?? 0), 0, "a read key is never written");

    await program.destroy();
    assert.ok(sim.admin.getKey(existing.id), "destroy leaves a key that was only read (an external resource) alone");
  });
});

function valueOf(output: unknown): Promise<unknown> {
  return new Promise((resolve) => (output as pulumi.Output<unknown>).apply((value) => resolve(value)));
}
