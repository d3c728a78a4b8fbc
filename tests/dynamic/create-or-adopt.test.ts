import { strict as assert } from "node:assert";
import { DynamicProviderHost, HostCallError } from "pulumi-qualys/testing";
import { startNotQualys } from "../support/not-qualys-server";
import { REPO_ROOT, startTestStack, type TestStack } from "../harness/test-stack";

/** Creates that never leave a duplicate or an orphan, through the real host. */
describe("create: adopt and ambiguous failures", function () {
  this.timeout(60_000);
  let stack: TestStack;
  beforeEach(async () => (stack = await startTestStack()));
  afterEach(() => stack.close());

  async function create(name: string, declared: Record<string, unknown>) {
    const { inputs } = await stack.host.check(stack.urn(name), {}, stack.inputs(declared));
    return stack.host.create(stack.urn(name), inputs);
  }

  it("adopt: true takes over the existing key with that title and updates it to the declaration", async () => {
    const existing = stack.sim.admin.insertKey({ title: "legacy", modules: ["PC_LICENSE"], isDisabled: true });
    const created = await create("legacy", { title: "legacy", modules: ["VM_LICENSE"], ownerId: 77, adopt: true });
    assert.equal(created.id, String(existing.id));
    assert.equal(stack.sim.admin.listKeys().length, 1, "no duplicate");
    const key = stack.sim.admin.getKey(existing.id)!;
    assert.deepEqual(key.modules, ["VM_LICENSE"]);
    assert.equal(key.ownerId, 77);
    assert.equal(key.isDisabled, false);
    assert.equal(created.outputs.activationKey, existing.activationKey, "the enrolled agents keep working");
  });

  it("without adopt, a duplicate title fails with QUALYS_DUPLICATE_TITLE and the way out", async () => {
    stack.sim.admin.insertKey({ title: "taken" });
    await assert.rejects(create("taken", { title: "taken" }), (e: unknown) => e instanceof HostCallError && /already exists/.test(e.details) && /adopt: true/.test(e.details));
    assert.equal(stack.sim.admin.listKeys().length, 1);
  });

  for (const kind of ["reset-after", "reset-before", "unavailable-503", "malformed-xml"] as const) {
    it(`a create whose answer is lost (${kind}) ends with exactly one key, never a blind re-POST`, async () => {
      stack.sim.admin.injectFaults([{ operation: "create", kind }]);
      const created = await create("fragile", { title: "fragile", modules: ["VM_LICENSE"] });
      const keys = stack.sim.admin.listKeys();
      assert.equal(keys.length, 1);
      assert.equal(String(keys[0]!.id), created.id);
      const log = stack.sim.admin.requestLog().map((e) => e.operation);
      assert.equal(log[0], "create");
      assert.equal(log[1], "search", "after the ambiguous failure the provider looks for the title first");
    });
  }

  it("against a wrong API URL, the error names the create the user ran and its title, not the lookup's search", async () => {
    const notQualys = await startNotQualys();
    try {
      await stack.host.close();
      stack.host = await DynamicProviderHost.start({ projectDir: REPO_ROOT, config: { ...stack.config, "qualys:apiUrl": notQualys.url, "qualys:retryDeadlineSec": "1" } });
      await assert.rejects(create("web", { title: "web" }), (e: unknown) => {
        assert.ok(e instanceof HostCallError);
        assert.match(e.details, /^QUALYS_HTTP_ERROR: Qualys create key "web" failed.*\n  create: Qualys create got HTTP 502.*\n  lookup: Qualys search got HTTP 502/s);
        return true;
      });
    } finally {
      await notQualys.close();
    }
  });

  it("finds the title client-side when the server refuses a title filter (undocumented field)", async () => {
    await stack.close();
    stack = await startTestStack({ simulator: { titleSearchable: false } });
    const existing = stack.sim.admin.insertKey({ title: "legacy" });
    stack.sim.admin.insertKey({ title: "legacy-2" });
    const created = await create("legacy", { title: "legacy", adopt: true });
    assert.equal(created.id, String(existing.id));
    assert.equal(stack.sim.admin.listKeys().length, 2);
  });
});
