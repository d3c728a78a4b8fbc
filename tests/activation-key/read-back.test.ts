import { strict as assert } from "node:assert";
import type { LifecycleContext } from "../../provider/activation-key/context";
import { IncompleteWriteError } from "../../provider/activation-key/incomplete-write";
import { updateKey } from "../../provider/activation-key/update";
import { QualysModulesNotLicensedError } from "../../provider/qualys/errors";
import { resolveProviderSettings } from "../../provider/subscription/resolve-settings";
import { SubscriptionRegistry } from "../../provider/subscription/subscription-registry";
import { startSimulator } from "../../simulator";
import type { RunningSimulator, SimulatorOptions } from "../../simulator/types";
import { countOf as count, declared, pool, scriptedContext } from "../support/core-context";
import { ScriptedScheduler } from "../support/scripted-scheduler";

describe("update read-backs: coalesced, never older than their update", () => {
  let sim: RunningSimulator;
  let scheduler: ScriptedScheduler;
  let ctx: LifecycleContext;

  async function start(options: SimulatorOptions = {}): Promise<void> {
    sim = await startSimulator(options);
    scheduler = new ScriptedScheduler();
    ctx = scriptedContext(sim, scheduler);
  }
  afterEach(() => sim.close());

  function seed(n: number): number[] {
    return Array.from({ length: n }, (_, i) => sim.admin.insertKey({ title: `fleet-${i}`, modules: ["VM_LICENSE"] }).id);
  }

  it("N updates queued behind the limit cost N updates and one search, no get", async () => {
    await start();
    const ids = seed(30);
    const outputs = await scheduler.drain(Promise.all(ids.map((id, i) => updateKey(ctx, String(id), declared(`fleet-${i}`, ["VM_LICENSE", "PC_LICENSE"])))));
    assert.equal(count(scheduler.sent, "update"), 30);
    assert.equal(count(scheduler.sent, "search"), 1, scheduler.sent.join(" "));
    assert.equal(count(scheduler.sent, "get"), 0);
    for (const out of outputs) assert.deepEqual(out.modules, ["PC_LICENSE", "VM_LICENSE"]);
  });

  it("through the subscription registry and its limit-aware scheduler, over a 2-call limit", async () => {
    await start({ concurrencyLimit: 2 });
    const ids = seed(20);
    const registry = new SubscriptionRegistry(() => undefined);
    const real = registry.contextFor(resolveProviderSettings(undefined, { QUALYS_API_URL: sim.url, QUALYS_USERNAME: "admin", QUALYS_PASSWORD: "admin-password" }));
    sim.admin.resetLog();
    await Promise.all(ids.map((id, i) => updateKey(real, String(id), declared(`fleet-${i}`, ["VM_LICENSE", "PC_LICENSE"]))));
    const counts = sim.admin.callCounts();
    assert.deepEqual([counts.update, counts.search, counts.get ?? 0, counts.blocked ?? 0], [20, 1, 0, 0], JSON.stringify(counts));
  });

  it("with the engine running P operations at once, one search per P updates", async () => {
    await start();
    const ids = seed(40);
    await scheduler.drain(pool(ids, 8, (id, i) => updateKey(ctx, String(id), declared(`fleet-${i}`, ["VM_LICENSE", "SCA"]))));
    assert.equal(count(scheduler.sent, "update"), 40);
    assert.equal(count(scheduler.sent, "search"), 5, scheduler.sent.join(" "));
    assert.equal(count(scheduler.sent, "get"), 0);
    for (const id of ids) assert.deepEqual(sim.admin.getKey(id)!.modules.sort(), ["SCA", "VM_LICENSE"]);
  });

  it("a search issued before an update was answered never serves that update's read-back", async () => {
    await start();
    const [id] = seed(1) as [number];
    await scheduler.drain(ctx.reader.read(id)); // the process already holds a snapshot
    const first = updateKey(ctx, String(id), declared("fleet-0", ["VM_LICENSE", "PC_LICENSE"]));
    await scheduler.pass("update");
    const early = await scheduler.take("search"); // the first update's read-back
    await early.send(); // answered by the server now, handed over only later
    const second = updateKey(ctx, String(id), declared("fleet-0", ["VM_LICENSE", "PC_LICENSE", "SCA"]));
    await scheduler.pass("update");
    await scheduler.pass("search"); // the second update's own read-back
    assert.deepEqual((await second).modules, ["PC_LICENSE", "SCA", "VM_LICENSE"], "the early search holds pre-update data: joining it would report SCA as dropped");
    early.deliver();
    assert.deepEqual((await first).modules, ["PC_LICENSE", "VM_LICENSE"]);
    const calls = scheduler.sent.length;
    assert.deepEqual((await ctx.reader.read(id))?.modules, ["PC_LICENSE", "SCA", "VM_LICENSE"]);
    assert.equal(scheduler.sent.length, calls, "served from the newest read-back: the early search's late answer did not replace it");
  });

  it("disabled keys are read back by the search that names isDisabled, not by a get", async () => {
    await start();
    const ids = seed(3);
    const outputs = await scheduler.drain(Promise.all(ids.map((id, i) => updateKey(ctx, String(id), declared(`fleet-${i}`, ["VM_LICENSE"], { isDisabled: true })))));
    assert.deepEqual(scheduler.sent, ["update", "update", "update", "search"]);
    for (const out of outputs) assert.equal(out.isDisabled, true);
  });

  it("a key the search does not return (disabled behind our back) is read with get", async () => {
    await start();
    const [id] = seed(1) as [number];
    const updating = updateKey(ctx, String(id), declared("fleet-0", ["VM_LICENSE", "PC_LICENSE"]));
    await scheduler.pass("update");
    const search = await scheduler.take("search");
    sim.admin.patchKey(id, { isDisabled: true }); // someone disables it in the UI meanwhile
    await search.send();
    search.deliver();
    await scheduler.pass("get");
    const out = await updating;
    assert.equal(out.isDisabled, true);
    assert.deepEqual(out.modules, ["PC_LICENSE", "VM_LICENSE"]);
    assert.deepEqual(scheduler.sent, ["update", "search", "get"]);
  });

  it("dropped modules are still reported for every key of a coalesced read-back", async () => {
    await start({ licenses: ["VM_LICENSE", "PC_LICENSE"] });
    const ids = seed(3);
    const results = await scheduler.drain(
      Promise.allSettled(ids.map((id, i) => updateKey(ctx, String(id), declared(`fleet-${i}`, ["VM_LICENSE", "EDR"])))),
    );
    assert.deepEqual(scheduler.sent, ["update", "update", "update", "search"]);
    results.forEach((result, i) => {
      assert.equal(result.status, "rejected");
      const error = (result as PromiseRejectedResult).reason as unknown;
      assert.ok(error instanceof IncompleteWriteError, String(error));
      assert.equal(error.id, String(ids[i]));
      assert.deepEqual(error.outputs.modules, ["VM_LICENSE"]);
      assert.ok(error.reason instanceof QualysModulesNotLicensedError);
      assert.deepEqual(error.reason.droppedModules, ["EDR"]);
    });
  });
});
