import { strict as assert } from "node:assert";
import * as qualys from "../../provider";
import { ProgramUnderMocks } from "pulumi-qualys/testing";
import { startTestStack, type TestStack } from "../harness/test-stack";

/**
 * What GitOps jobs run (docs/pulumi-dynamic-providers.md, "GitOps conventions"):
 * `pulumi preview --expect-no-changes` and `pulumi refresh --preview-only --expect-no-changes`.
 * Both must be quiet when nothing changed, name exactly what changed otherwise, and never write.
 */
describe("preview and the drift job under the mocks harness", function () {
  this.timeout(60_000);
  let stack: TestStack;
  afterEach(() => stack?.close());

  function totalCalls(): number {
    return Object.values(stack.sim.admin.callCounts()).reduce((a, b) => a + b, 0);
  }

  it("previews are quiet, plan only what changed and call Qualys never; refresh --preview-only finds drift and keeps state", async () => {
    stack = await startTestStack();
    const { sim } = stack;
    let modules = ["VM_LICENSE", "PC_LICENSE"];
    const program = new ProgramUnderMocks(stack.newHost, () => {
      const key = new qualys.ActivationKey("servers", { title: "servers", type: "COUNT_LIMITED", countPurchased: 10, ownerId: 42, modules });
      new qualys.ActivationKey("laptops", { title: "laptops" });
      return { id: key.id };
    });

    sim.admin.resetLog();
    const plan = await program.preview();
    assert.deepEqual(plan.steps.map((s) => s.op), ["create", "create"]);
    assert.ok(plan.steps.every((s) => s.urn.includes("::pulumi-nodejs:dynamic/qualys:ActivationKey::")), "URNs carry the qualys:ActivationKey type");
    assert.equal(totalCalls(), 0, "a preview never calls Qualys");
    assert.equal(program.state.size, 0, "a preview changes no state");

    await program.up();
    sim.admin.resetLog();
    assert.deepEqual((await program.preview()).steps.map((s) => s.op), ["same", "same"]);
    modules = ["pc_license", "vm_license"];
    assert.deepEqual((await program.preview()).steps.map((s) => s.op), ["same", "same"], "case and order are no change");
    modules = ["VM_LICENSE"];
    const planned = await program.preview();
    assert.deepEqual(planned.steps.map((s) => `${s.urn.split("::").pop()}:${s.op}`).sort(), ["laptops:same", "servers:update"]);
    assert.equal(totalCalls(), 0, "previews of changes call Qualys never either");
    modules = ["VM_LICENSE", "PC_LICENSE"];

    const servers = sim.admin.listKeys().find((k) => k.title === "servers")!;
    sim.admin.patchKey(servers.id, { ownerId: 7 });
    sim.admin.resetLog();
    for (let run = 0; run < 2; run++) {
      const drift = await program.refresh({ previewOnly: true });
      const changed = drift.steps.filter((s) => s.op !== "same");
      assert.deepEqual(changed.map((s) => [s.urn.split("::").pop(), s.fields]), [["servers", ["ownerId"]]], `drift found (run ${run + 1}), state untouched`);
    }
    const counts = sim.admin.callCounts();
    assert.equal((counts.create ?? 0) + (counts.update ?? 0) + (counts.delete ?? 0), 0, "the drift job never writes");
  });
});
