/**
 * Our client (XML) against the answers the public record shows the real API gives
 * (docs/qualys-api.md, "Confirmed answers" and "Blocked answers: 409 and 429"): a classic 409 body
 * that carries the wait no header carries, UNAUTHORIZED with HTTP 200, X-Concurrency-Limit-Running
 * that leaves the answered call out, X-Powered-By and the `qps` schema location, all over real HTTP
 * against the simulator.
 */
import { strict as assert } from "node:assert";
import { createQualysClient } from "../../provider/qualys/client";
import { QualysAuthError } from "../../provider/qualys/errors";
import type { RequestScheduler, ResponseMeta, ScheduledCall } from "../../provider/qualys/types";
import { LimitAwareScheduler } from "../../provider/scheduling/request-scheduler";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { FakeClock } from "../support/fake-clock";

const USER = { username: "admin", password: "admin-password" };

/** Passes every call to `inner` and keeps what each answer reported. */
class ObservingScheduler implements RequestScheduler {
  readonly reports: ResponseMeta[] = [];
  constructor(private readonly inner: RequestScheduler) {}
  run<T>(call: ScheduledCall<T>): Promise<T> {
    return this.inner.run({ ...call, attempt: (report) => call.attempt((meta) => (this.reports.push(meta), report(meta))) });
  }
}

describe("client against the real API's answers", () => {
  let sim: RunningSimulator;
  afterEach(() => sim.close());

  it("waits the SECONDS_TO_WAIT of a classic 409 body when no header says how long, from a fault and from the real limit", async () => {
    const clock = new FakeClock(Date.parse("2026-06-01T00:00:00Z"));
    const lines: string[] = [];
    sim = await startSimulator({ now: () => clock.now(), blockedBody: "classic", sendToWait: false });
    const scheduler = new LimitAwareScheduler({ clock, random: () => 0.5, logger: { debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m) } });
    const api = createQualysClient({ apiUrl: sim.url, ...USER, scheduler, clock });
    const key = await api.create({ title: "classic", type: "UNLIMITED" });

    sim.admin.injectFaults([{ kind: "rate-409-classic", operation: "get", toWaitSec: 42 }]);
    let before = clock.now();
    assert.equal((await api.get(key.id)).title, "classic");
    assert.equal(clock.now() - before, 42_000);

    sim.admin.setLimits({ rateLimit: { limit: 1, windowSec: 120 } });
    await api.get(key.id);
    clock.advance(20_000);
    before = clock.now();
    assert.equal((await api.get(key.id)).title, "classic");
    assert.equal(clock.now() - before, 100_000, "the window frees its call 100 s later");
    assert.deepEqual(sim.admin.requestLog().filter((entry) => entry.blocked).length, 2);
    assert.ok(lines.some((line) => /waiting 42 s/.test(line)), lines.join("\n"));
  });

  it("reads UNAUTHORIZED answered with HTTP 200 as QualysAuthError quoting Qualys' message", async () => {
    sim = await startSimulator({ users: [{ ...USER, apiAccess: false }] });
    const api = createQualysClient({ apiUrl: sim.url, ...USER });
    await assert.rejects(api.searchPage(), (e: unknown) => {
      assert.ok(e instanceof QualysAuthError, String(e));
      assert.equal(e.responseCode, "UNAUTHORIZED");
      assert.equal(e.statusCode, 200);
      assert.match(e.message, /You are not authorized to access the application through the API/);
      return true;
    });
  });

  it("runs every operation back to back on a 1-concurrency subscription, never blocked, Running 0 after each", async () => {
    sim = await startSimulator({ concurrencyLimit: 1, schemaLocation: "qps" });
    const scheduler = new ObservingScheduler(new LimitAwareScheduler());
    const api = createQualysClient({ apiUrl: sim.url, ...USER, scheduler });
    const key = await api.create({ title: "one at a time", type: "UNLIMITED", modules: ["VM_LICENSE", "GAV"] });
    assert.deepEqual((await api.get(key.id)).modules, ["VM_LICENSE", "GAV"]);
    await api.update(key.id, { title: "renamed", type: "UNLIMITED" });
    assert.deepEqual((await api.searchAll()).map((found) => found.title), ["renamed"]);
    await api.delete(key.id);
    assert.deepEqual(sim.admin.listKeys(), []);
    assert.equal(sim.admin.callCounts()["blocked"], 0);
    assert.deepEqual(
      scheduler.reports.map((meta) => [meta.statusCode, meta.headers["x-concurrency-limit-limit"], meta.headers["x-concurrency-limit-running"]]),
      Array.from({ length: 5 }, () => [200, "1", "0"]),
    );
    for (const meta of scheduler.reports) assert.match(String(meta.headers["x-powered-by"]), /^Qualys:/);
  });
});
