import { strict as assert } from "node:assert";
import type { LifecycleContext } from "../../provider/activation-key/context";
import { createKey } from "../../provider/activation-key/create";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { countOf, declared, pool, scriptedContext } from "../support/core-context";
import { ScriptedScheduler } from "../support/scripted-scheduler";

describe("adopt: true over many existing keys", () => {
  let sim: RunningSimulator;
  let scheduler: ScriptedScheduler;
  let ctx: LifecycleContext;

  beforeEach(async () => {
    sim = await startSimulator();
    scheduler = new ScriptedScheduler();
    ctx = scriptedContext(sim, scheduler);
  });
  afterEach(() => sim.close());

  function seed(n: number, fields: { isDisabled?: boolean } = {}): number[] {
    return Array.from({ length: n }, (_, i) => sim.admin.insertKey({ title: `legacy-${i}`, modules: ["VM_LICENSE"], isDisabled: fields.isDisabled ?? false }).id);
  }

  it("N keys that differ from the declaration: one listing, N updates, coalesced read-backs, no create", async () => {
    const ids = seed(24);
    sim.admin.patchKey(ids[5]!, { isDisabled: true }); // listed only by the search that asks for disabled keys
    const created = await scheduler.drain(pool(ids, 24, (_, i) => createKey(ctx, declared(`legacy-${i}`, ["VM_LICENSE", "PC_LICENSE"], { adopt: true }))));
    assert.deepEqual(created.map((c) => c.id), ids.map(String));
    assert.equal(countOf(scheduler.sent, "create"), 0, "no create bound to fail on the duplicate title");
    assert.equal(countOf(scheduler.sent, "update"), 24);
    assert.equal(countOf(scheduler.sent, "get"), 0);
    assert.equal(countOf(scheduler.sent, "search"), 3, `two for the listing, one read-back: ${scheduler.sent.join(" ")}`);
    for (const c of created) assert.deepEqual(c.outputs.modules, ["PC_LICENSE", "VM_LICENSE"]);
    assert.equal(created[5]!.outputs.isDisabled, false, "the declaration (enabled) was written");
    assert.equal(sim.admin.listKeys().length, 24, "no duplicate");
  });

  it("keys that already match the declaration are taken over without any write", async () => {
    const ids = seed(10);
    const created = await scheduler.drain(pool(ids, 10, (_, i) => createKey(ctx, declared(`legacy-${i}`, ["VM_LICENSE"], { adopt: true }))));
    assert.deepEqual(created.map((c) => c.id), ids.map(String));
    assert.deepEqual(scheduler.sent, ["search", "search"]);
    assert.equal(created[0]!.outputs.activationKey, sim.admin.getKey(ids[0]!)!.activationKey);
  });

  it("a title the listing lacks is created once, and a plain create lists nothing", async () => {
    seed(2);
    const adopted = await scheduler.drain(createKey(ctx, declared("brand-new", ["VM_LICENSE"], { adopt: true })));
    assert.deepEqual(scheduler.sent, ["search", "search", "create"]);
    const plain = await scheduler.drain(createKey(ctx, declared("plain", ["VM_LICENSE"])));
    assert.deepEqual(scheduler.sent, ["search", "search", "create", "create"]);
    assert.notEqual(adopted.id, plain.id);
    assert.equal(sim.admin.listKeys().length, 4);
  });

  it("a key we wrote since the listing is not taken from it: the title goes the create-or-adopt way", async () => {
    const [id] = seed(1) as [number];
    await scheduler.drain(ctx.reader.read(id)); // the listing, as an earlier read of this process loaded it
    await scheduler.drain(ctx.api.update(id, { title: "renamed", type: "UNLIMITED" }));
    const created = await scheduler.drain(createKey(ctx, declared("legacy-0", ["VM_LICENSE"], { adopt: true })));
    assert.notEqual(created.id, String(id), "the listing's legacy-0 is stale: that key is now called renamed");
    assert.deepEqual(scheduler.sent, ["search", "search", "update", "create"]);
  });
});
