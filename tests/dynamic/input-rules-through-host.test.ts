import { strict as assert } from "node:assert";
import { HostCallError, type Props } from "pulumi-qualys/testing";
import { startTestStack, type TestStack } from "../harness/test-stack";

/**
 * The input rules of check (tests/activation-key/check-input-rules.test.ts) as a user meets them:
 * through the real dynamic-provider host, against the simulator, which stores titles trimmed and
 * types upper case as Qualys does.
 */
describe("input rules through the dynamic-provider host", function () {
  this.timeout(60_000);
  let stack: TestStack;
  beforeEach(async () => (stack = await startTestStack()));
  afterEach(() => stack.close());

  const calls = (): number => Object.values(stack.sim.admin.callCounts()).reduce((a, b) => a + b, 0);

  async function createAndRefresh(name: string, declared: Props): Promise<{ id: string; diff: string }> {
    const urn = stack.urn(name);
    const checked = await stack.host.check(urn, {}, stack.inputs(declared));
    assert.deepEqual(checked.failures, []);
    const created = await stack.host.create(urn, checked.inputs);
    const read = await stack.host.read(urn, created.id, created.outputs);
    const again = await stack.host.check(urn, read.inputs ?? {}, stack.inputs(declared));
    return { id: created.id, diff: (await stack.host.diff(urn, created.id, read.outputs, again.inputs)).changes };
  }

  it("refuses at preview, without a call, what cannot come back from Qualys exactly", async () => {
    const cases: [string, Props][] = [
      ["countPurchased", { title: "big", type: "COUNT_LIMITED", countPurchased: 9007199254740994 }],
      ["ownerId", { title: "big", ownerId: 1e20 }],
      ["countPurchased", { title: "big", type: "COUNT_LIMITED", countPurchased: 1e300 }],
      ["title", { title: "web\u0001servers" }],
      ["expireDate", { title: "feb", type: "TIME_LIMITED", expireDate: "2030-02-30" }],
      ["expireDate", { title: "clock", type: "TIME_LIMITED", expireDate: "2030-01-01T25:61:61Z" }],
    ];
    for (const [property, declared] of cases) {
      const { failures } = await stack.host.check(stack.urn("k"), {}, stack.inputs(declared));
      assert.deepEqual(failures.map((f) => f.property), [property], JSON.stringify(declared));
    }
    assert.equal(calls(), 0, "check never calls Qualys");
  });

  it("a title with surrounding whitespace: stored trimmed, and a refresh then an up find nothing to change", async () => {
    const { id, diff } = await createAndRefresh("padded", { title: "  padded servers  " });
    assert.equal(stack.sim.admin.getKey(Number(id))?.title, "padded servers");
    assert.equal(diff, "none");
  });

  it("adopt: true finds the existing key when the declared title has surrounding whitespace", async () => {
    const existing = stack.sim.admin.insertKey({ title: "legacy" });
    const urn = stack.urn("legacy");
    const { inputs } = await stack.host.check(urn, {}, stack.inputs({ title: " legacy ", adopt: true }));
    const created = await stack.host.create(urn, inputs);
    assert.equal(created.id, String(existing.id));
    assert.equal(stack.sim.admin.listKeys().length, 1, "no duplicate");
  });

  it("type in lower case: accepted, stored upper case, quiet afterwards", async () => {
    const { id, diff } = await createAndRefresh("counted", { title: "counted", type: "count_limited", countPurchased: 5 });
    assert.equal(stack.sim.admin.getKey(Number(id))?.type, "COUNT_LIMITED");
    assert.equal(diff, "none");
  });

  it("a title XML cannot carry that skips check fails with the client's typed error, not a bare one, and sends nothing", async () => {
    await assert.rejects(
      stack.host.create(stack.urn("raw"), stack.inputs({ title: "raw\u0001", type: "UNLIMITED", modules: [], tagIds: [], isDisabled: false, applyOnAgents: false, suspendSelfPatch: false, adopt: false })),
      (e: unknown) => e instanceof HostCallError && /Qualys create key "raw\\u0001" not sent: title holds a character XML cannot carry \(U\+0001 at position 4\)/.test(e.details),
    );
    assert.equal(calls(), 0);
  });
});
