import { strict as assert } from "node:assert";
import { join } from "node:path";
import type { SimKey } from "../../simulator/types";
import { changedOutputFields, startSimulatedStack, type FieldDrift, type SimulatedStack } from "pulumi-qualys/testing";
import { REPO_ROOT, startTestStack, type TestStack } from "../harness/test-stack";

const FUTURE = "2031-06-30";

/** Every way a user may write a key: refresh right after up must report nothing for any of them. */
const INPUT_MATRIX: Record<string, unknown>[] = [
  { title: "minimal" },
  { title: "unlimited-explicit", type: "UNLIMITED", modules: [], tagIds: [] },
  { title: "count", type: "COUNT_LIMITED", countPurchased: 1 },
  { title: "time-date-only", type: "TIME_LIMITED", expireDate: FUTURE },
  { title: "time-full", type: "TIME_LIMITED", expireDate: `${FUTURE}T12:30:00Z` },
  { title: "time-millis", type: "TIME_LIMITED", expireDate: `${FUTURE}T12:30:00.000Z` },
  { title: "count-time", type: "COUNT_TIME_LIMITED", countPurchased: 25, expireDate: FUTURE },
  { title: "modules-messy", modules: ["pc_license", "VM_LICENSE", "PC_LICENSE", " fim "] },
  { title: "tags-unordered", tagIds: [30, 10, 20, 10] },
  { title: "owner", ownerId: 364812443 },
  { title: "network", networkId: 0 },
  { title: "network-set", networkId: 42 },
  { title: "disabled", isDisabled: true },
  { title: "self-patch", suspendSelfPatch: true },
  { title: "apply-on-agents", applyOnAgents: true, modules: ["VM_LICENSE"] },
  { title: "everything", type: "COUNT_TIME_LIMITED", countPurchased: 500, expireDate: `${FUTURE}T00:00:00Z`, ownerId: 7, modules: ["SCA", "vm_license"], tagIds: [2, 1], networkId: 3, isDisabled: false, suspendSelfPatch: true },
];

describe("refresh and drift", function () {
  this.timeout(120_000);
  let stack: TestStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it("a refresh right after up reports nothing, for every input in the matrix", async () => {
    const current = (stack = await startTestStack());
    const { host } = current;
    for (const declared of INPUT_MATRIX) {
      const urn = current.urn(String(declared.title));
      const { inputs, failures } = await host.check(urn, {}, current.inputs(declared));
      assert.deepEqual(failures, [], String(declared.title));
      const created = await host.create(urn, inputs);
      const read = await host.read(urn, created.id, created.outputs);
      assert.deepEqual(changedOutputFields(created.outputs, read.outputs), [], `${declared.title}: refresh changed outputs`);
      const again = await host.check(urn, read.inputs ?? {}, current.inputs(declared));
      assert.equal((await host.diff(urn, created.id, read.outputs, again.inputs)).changes, "none", `${declared.title}: up after refresh`);
    }
  });

  /** Out-of-band changes as someone would make them in the Qualys UI, and what refresh must name, with both values. */
  const CHANGES: { kind: string; patch: Partial<SimKey>; drift: FieldDrift[] }[] = [
    { kind: "title", patch: { title: "renamed-in-ui" }, drift: [{ field: "title", declared: "linux-servers", actual: "renamed-in-ui" }] },
    { kind: "owner", patch: { ownerId: 1 }, drift: [{ field: "ownerId", declared: 364812443, actual: 1 }] },
    { kind: "modules", patch: { modules: ["VM_LICENSE", "EDR"] }, drift: [{ field: "modules", declared: ["PC_LICENSE", "VM_LICENSE"], actual: ["EDR", "VM_LICENSE"] }] },
    { kind: "limits", patch: { countPurchased: 9 }, drift: [{ field: "countPurchased", declared: 500, actual: 9 }] },
    { kind: "disabled", patch: { isDisabled: true }, drift: [{ field: "isDisabled", declared: false, actual: true }] },
  ];

  describe("examples/basic under pulumi-qualys/testing", () => {
    let program: SimulatedStack;
    afterEach(() => program?.close());

    for (const change of CHANGES) {
      const fields = change.drift.map((d) => d.field);
      it(`an out-of-band ${change.kind} change: refresh names exactly it with the declared and the actual value, up restores the declaration`, async () => {
        program = await startSimulatedStack({ program: join(REPO_ROOT, "dist/examples/basic/index.js"), projectDir: REPO_ROOT });
        const sim = program.simulator;
        await program.up();
        const declared = structuredClone(sim.admin.listKeys().find((k) => k.title === "linux-servers")!);
        sim.admin.patchKey(declared.id, change.patch);

        const refresh = await program.refresh();
        const drifted = refresh.steps.filter((s) => s.op !== "same");
        assert.equal(drifted.length, 1);
        assert.deepEqual(drifted[0]!.fields, fields);
        assert.deepEqual(drifted[0]!.drift, change.drift);

        const up = await program.up();
        assert.deepEqual(up.steps.filter((s) => s.op === "update").map((s) => s.fields), [fields]);
        const restored = sim.admin.getKey(declared.id)!;
        assert.deepEqual(
          { title: restored.title, ownerId: restored.ownerId, modules: [...restored.modules].sort(), countPurchased: restored.countPurchased, isDisabled: restored.isDisabled },
          { title: declared.title, ownerId: declared.ownerId, modules: [...declared.modules].sort(), countPurchased: declared.countPurchased, isDisabled: declared.isDisabled },
        );
        assert.equal((await program.refresh()).steps.every((s) => s.op === "same"), true, "quiet again");
      });
    }

    it("a key deleted out of band: refresh drops it, up creates it again", async () => {
      program = await startSimulatedStack({ program: join(REPO_ROOT, "dist/examples/basic/index.js"), projectDir: REPO_ROOT });
      const sim = program.simulator;
      await program.up();
      const gone = sim.admin.listKeys().find((k) => k.title === "workstations")!;
      sim.admin.deleteKey(gone.id);
      const refresh = await program.refresh();
      assert.deepEqual(refresh.steps.filter((s) => s.op !== "same").map((s) => s.op), ["refresh-deleted"]);
      const up = await program.up();
      assert.deepEqual(up.steps.map((s) => s.op).sort(), ["create", "same"]);
      assert.equal(sim.admin.listKeys().filter((k) => k.title === "workstations").length, 1);
    });
  });
});
