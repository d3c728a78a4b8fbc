import { strict as assert } from "node:assert";
import { createQualysClient } from "../../provider/qualys/client";
import { SearchBackedKeyReader } from "../../provider/qualys/api/search-backed-key-reader";
import type { AgentActKeyApi } from "../../provider/qualys/types";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";

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

  it("remember() makes our own writes visible to later reads", async () => {
    const [id] = seed(1) as [number];
    const reader = new SearchBackedKeyReader(api);
    await reader.read(id);
    reader.remember({ id, title: "after-our-update" });
    assert.equal((await reader.read(id))?.title, "after-our-update");
    reader.forget(id);
    sim.admin.deleteKey(id);
    assert.equal(await reader.read(id), undefined);
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
