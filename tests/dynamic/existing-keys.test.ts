import { strict as assert } from "node:assert";
import { join } from "node:path";
import { ProgramUnderMocks } from "../harness/program-under-mocks";
import { REPO_ROOT, startTestStack, type TestStack } from "../harness/test-stack";

describe("existing keys: ActivationKey.get", function () {
  this.timeout(60_000);
  let stack: TestStack;
  afterEach(async () => {
    delete process.env.QUALYS_TEST_EXISTING_KEY_ID;
    await stack?.close();
  });

  it("reads a key by id through the provider's read, without creating, updating or deleting anything", async () => {
    stack = await startTestStack();
    const existing = stack.sim.admin.insertKey({ title: "legacy", modules: ["VM_LICENSE"], ownerId: 5 });
    process.env.QUALYS_TEST_EXISTING_KEY_ID = String(existing.id);
    const program = new ProgramUnderMocks(stack.newHost, join(REPO_ROOT, "dist/tests/programs/get-existing-key.js"));
    stack.sim.admin.resetLog();
    const run = await program.up();
    assert.deepEqual(run.errors, []);
    assert.deepEqual(run.steps.map((s) => s.op), ["read"]);
    assert.equal(run.steps[0]!.outputs?.title, "legacy");
    assert.equal(run.steps[0]!.outputs?.ownerId, 5);
    assert.equal(run.steps[0]!.outputs?.activationKey, existing.activationKey);
    const counts = stack.sim.admin.callCounts();
    assert.equal((counts.create ?? 0) + (counts.update ?? 0) + (counts.delete ?? 0), 0);
    assert.equal(stack.sim.admin.listKeys().length, 1);
    assert.equal(program.state.size, 0, "a read resource is not managed: destroy leaves it alone");
  });
});
