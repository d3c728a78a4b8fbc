import { strict as assert } from "node:assert";
import { createQualysClient } from "../../provider/qualys/client";
import { LimitAwareScheduler } from "../../provider/scheduling/request-scheduler";
import { startSimulator } from "../../simulator";
import type { FaultSpec, RunningSimulator } from "../../simulator/types";
import { startTestStack, type TestStack } from "../harness/test-stack";
import { FakeClock } from "../support/fake-clock";

const USER = { username: "admin", password: "admin-password" };

describe("limits and faults over real HTTP", function () {
  this.timeout(120_000);
  let sim: RunningSimulator | undefined;
  let stack: TestStack | undefined;
  afterEach(async () => {
    await sim?.close();
    await stack?.close();
    sim = stack = undefined;
  });

  it("concurrency limit 2, 50 concurrent operations: no call is rejected", async () => {
    sim = await startSimulator({ concurrencyLimit: 2, latencyMs: 10 });
    const api = createQualysClient({ apiUrl: sim.url, ...USER, scheduler: new LimitAwareScheduler() });
    const existing = Array.from({ length: 25 }, (_, i) => sim!.admin.insertKey({ title: `old-${i}` }));
    // 50 operations in flight at once, as the engine issues them: the first answer teaches the limit.
    await Promise.all([
      ...Array.from({ length: 25 }, (_, i) => api.create({ title: `k${i}`, type: "UNLIMITED" })),
      ...existing.map((k) => api.get(k.id)),
    ]);
    const counts = sim.admin.callCounts();
    assert.equal(counts.blocked, 0);
    assert.equal(counts.create, 25);
    assert.equal(counts.get, 25);
    assert.equal(sim.admin.maxInFlight(), 2, "the gate learned the limit of 2 and used it");
  });

  it("rate limit 30 per 10 s, 100 operations: all succeed, spread over the windows", async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    sim = await startSimulator({ rateLimit: { limit: 30, windowSec: 10 }, now: () => clock.now() });
    const api = createQualysClient({ apiUrl: sim.url, ...USER, scheduler: new LimitAwareScheduler({ clock, random: () => 0.5 }), clock });
    const seeded = sim.admin.insertKey({ title: "seed" });
    const results = await Promise.all(Array.from({ length: 100 }, () => api.get(seeded.id)));
    assert.equal(results.length, 100);
    const served = sim.admin.requestLog().filter((e) => e.operation === "get" && !e.blocked);
    assert.equal(served.length, 100);
    const span = served.at(-1)!.at - served[0]!.at;
    assert.ok(span >= 3 * 10_000, `100 calls at 30 per 10 s need at least 3 more windows; took ${span} ms`);
    const blocked = sim.admin.callCounts().blocked ?? 0;
    assert.ok(blocked <= 4, `pacing kept rejections rare (${blocked})`);
  });

  it("100 keys through the real host with ~20% of calls faulted: exactly 100 keys, no duplicate, state matches", async () => {
    stack = await startTestStack({ simulator: { concurrencyLimit: 2, latencyMs: 2 } });
    const { host, sim: simulator } = stack;
    const kinds: FaultSpec["kind"][] = ["rate-409", "concurrency-409", "rate-429", "block-409-other-code", "unavailable-503", "reset-before", "reset-after", "malformed-xml", "slow"];
    const rateBlocks: FaultSpec["kind"][] = ["rate-409", "rate-429", "block-409-other-code"];
    const faults: FaultSpec[] = [];
    for (let i = 0; i < 27; i++) {
      const kind = kinds[i % kinds.length]!;
      // Three rounds over the kinds; each kind hits a search once and a create twice.
      const round = Math.floor(i / kinds.length);
      faults.push({ kind, operation: (i + round) % 3 === 0 ? "search" : "create", toWaitSec: rateBlocks.includes(kind) ? 1 : undefined, delayMs: kind === "slow" ? 300 : undefined });
    }
    simulator.admin.injectFaults(faults);
    const created = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const urn = stack!.urn(`key-${i}`);
        const { inputs } = await host.check(urn, {}, stack!.inputs({ title: `key-${i}`, modules: ["VM_LICENSE"] }));
        return { title: `key-${i}`, ...(await host.create(urn, inputs)) };
      }),
    );
    const keys = simulator.admin.listKeys();
    assert.equal(keys.length, 100, "no orphan, no duplicate");
    assert.equal(new Set(keys.map((k) => k.title)).size, 100);
    for (const entry of created) {
      const key = simulator.admin.getKey(Number(entry.id));
      assert.equal(key?.title, entry.title, "every state entry matches the server");
      assert.equal(entry.outputs.activationKey, key?.activationKey);
    }
    const log = simulator.admin.requestLog();
    const faulted = log.length - 100;
    assert.ok(faulted >= 15, `faults were really hit (${faulted} extra calls)`);
    // Every block was waited out and retried, the undocumented-code 409s included.
    assert.equal(log.filter((entry) => entry.blocked).length, 12, "all 12 block faults were hit");
  });
});
