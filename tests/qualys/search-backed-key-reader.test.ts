import { strict as assert } from "node:assert";
import { createQualysClient } from "../../provider/qualys/client";
import { SearchBackedKeyReader } from "../../provider/qualys/api/search-backed-key-reader";
import type { AgentActKeyApi } from "../../provider/qualys/types";
import { lifecycleContext } from "../../provider/subscription/subscription-registry";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { scriptedContext } from "../support/core-context";
import { ScriptedScheduler } from "../support/scripted-scheduler";

describe("search-backed key reader (cheap refresh)", () => {
  let sim: RunningSimulator;
  let api: AgentActKeyApi;

  beforeEach(async () => {
    sim = await startSimulator();
    api = createQualysClient({ apiUrl: sim.url, username: "admin", password: "admin-password" });
  });
  afterEach(() => sim.close());

  function seed(count: number): number[] {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push(sim.admin.insertKey({ title: `key-${i}`, modules: ["VM_LICENSE"] }).id);
    return ids;
  }

  it("answers 500 concurrent reads with two searches", async () => {
    const ids = seed(500);
    sim.admin.resetLog();
    const reader = new SearchBackedKeyReader(api);
    const keys = await Promise.all(ids.map((id) => reader.read(id)));
    assert.deepEqual(keys.map((k) => k?.title), ids.map((_, i) => `key-${i}`));
    assert.deepEqual(keys[0]?.modules, ["VM_LICENSE"]);
    const counts = sim.admin.callCounts();
    assert.equal(counts.search, 2, JSON.stringify(counts));
    assert.equal(counts.get ?? 0, 0);
  });

  it("finds disabled keys through the second search, and confirms deleted keys with a get", async () => {
    const [enabled, disabled, deleted] = seed(3) as [number, number, number];
    sim.admin.patchKey(disabled, { isDisabled: true });
    sim.admin.deleteKey(deleted);
    sim.admin.resetLog();
    const reader = new SearchBackedKeyReader(api);
    assert.equal((await reader.read(enabled))?.title, "key-0");
    assert.equal((await reader.read(disabled))?.isDisabled, true);
    assert.equal(await reader.read(deleted), undefined);
    const counts = sim.admin.callCounts();
    assert.equal(counts.search, 2);
    assert.equal(counts.get, 1);
  });

  it("fetches a key created after the snapshot with a get, and keeps it", async () => {
    seed(2);
    const reader = new SearchBackedKeyReader(api);
    await reader.read(1);
    const late = sim.admin.insertKey({ title: "late" }).id;
    sim.admin.resetLog();
    assert.equal((await reader.read(late))?.title, "late");
    assert.equal((await reader.read(late))?.title, "late");
    assert.equal(sim.admin.callCounts().get, 1);
  });

  it("reloads the snapshot once it is older than ttlMs, so nothing stale is reported", async () => {
    const [id] = seed(1) as [number];
    let now = 1_000_000;
    const reader = new SearchBackedKeyReader(api, { ttlMs: 1000, clock: { now: () => now } });
    assert.equal((await reader.read(id))?.title, "key-0");
    sim.admin.patchKey(id, { title: "renamed" });
    assert.equal((await reader.read(id))?.title, "key-0", "within the TTL the snapshot answers");
    now += 1001;
    assert.equal((await reader.read(id))?.title, "renamed");
  });

  describe("never older than our own last write to the key (issue 10)", () => {
    const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined };
    const readCalls = () => {
      const counts = sim.admin.callCounts();
      return { get: counts.get ?? 0, search: counts.search ?? 0 };
    };

    it("a read after our update asks the server instead of answering from the older snapshot", async () => {
      const [id] = seed(2) as [number];
      const ctx = lifecycleContext(api, silent);
      assert.equal((await ctx.reader.read(id))?.title, "key-0");
      await ctx.api.update(id, { title: "after-our-update", type: "UNLIMITED" });
      sim.admin.resetLog();
      assert.equal((await ctx.reader.read(id))?.title, "after-our-update");
      assert.equal((await ctx.reader.read(id))?.title, "after-our-update");
      assert.deepEqual(readCalls(), { get: 1, search: 0 }, "one get, then its answer is kept");
    });

    it("an update whose answer was lost after Qualys committed it still invalidates the snapshot", async () => {
      const [id] = seed(1) as [number];
      const ctx = lifecycleContext(api, silent);
      await ctx.reader.read(id);
      sim.admin.injectFaults([{ operation: "update", kind: "reset-after" }]);
      await assert.rejects(ctx.api.update(id, { title: "committed", type: "UNLIMITED" }));
      assert.equal((await ctx.reader.read(id))?.title, "committed");
    });

    it("a get issued before our update does not answer the reads that follow it", async () => {
      seed(1);
      const scheduler = new ScriptedScheduler();
      const ctx = scriptedContext(sim, scheduler);
      await scheduler.drain(ctx.reader.read(1));
      const late = sim.admin.insertKey({ title: "late" }).id; // not in the snapshot: read with get
      const during = ctx.reader.read(late);
      const get = await scheduler.take("get");
      await get.send();
      const updating = ctx.api.update(late, { title: "late-renamed", type: "UNLIMITED" });
      await scheduler.pass("update");
      await updating;
      get.deliver();
      assert.equal((await during)?.title, "late", "a read concurrent with the write may see either");
      const after = ctx.reader.read(late);
      await scheduler.pass("get");
      assert.equal((await after)?.title, "late-renamed");
    });

    it("a key we deleted is reported gone by the server, not found in the snapshot", async () => {
      const [id] = seed(1) as [number];
      const ctx = lifecycleContext(api, silent);
      await ctx.reader.read(id);
      await ctx.api.delete(id);
      sim.admin.resetLog();
      assert.equal(await ctx.reader.read(id), undefined);
      assert.deepEqual(readCalls(), { get: 1, search: 0 });
    });

    it("keys nobody wrote are still served from the snapshot after writes to others", async () => {
      const [a, b] = seed(2) as [number, number];
      const ctx = lifecycleContext(api, silent);
      await ctx.reader.read(a);
      await ctx.api.update(a, { title: "changed", type: "UNLIMITED" });
      sim.admin.resetLog();
      assert.equal((await ctx.reader.read(b))?.title, "key-1");
      assert.deepEqual(readCalls(), { get: 0, search: 0 });
    });
  });

  it("caps the snapshot at maxSnapshotPages and falls back to get beyond it", async () => {
    const ids = seed(1005);
    sim.admin.resetLog();
    const reader = new SearchBackedKeyReader(api, { maxSnapshotPages: 1 });
    assert.equal((await reader.read(ids[1004]!))?.title, "key-1004");
    const counts = sim.admin.callCounts();
    assert.equal(counts.search, 2);
    assert.equal(counts.get, 1);
  });
});
