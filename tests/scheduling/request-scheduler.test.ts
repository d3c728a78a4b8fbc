import { strict as assert } from "node:assert";
import { QualysHttpError, QualysNetworkError, QualysNotFoundError, QualysRateLimitError } from "../../provider/qualys/errors";
import type { QualysLogger, ResponseMeta, ScheduledCall } from "../../provider/qualys/types";
import { calculateRetryDelay } from "../../provider/scheduling/calculate-retry-delay";
import { LimitAwareScheduler } from "../../provider/scheduling/request-scheduler";
import { schedulerFor } from "../../provider/scheduling/scheduler-registry";
import { FakeClock } from "../support/fake-clock";

/** Replays scripted answers and records when each attempt started and how many ran at once. */
class Script {
  readonly starts: { label: string; at: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(readonly clock: FakeClock) {}

  call<T>(label: string, answers: (() => T | Promise<T>)[], options: { idempotent?: boolean; headers?: Record<string, string> } = {}): ScheduledCall<T> {
    return {
      operation: options.idempotent === false ? "create" : "get",
      idempotent: options.idempotent ?? true,
      subject: label,
      attempt: async (report: (meta: ResponseMeta) => void) => {
        this.starts.push({ label, at: this.clock.now() });
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          // The call's latency: 20 ms of the fake clock, and a real turn of the event loop so that
          // calls the gate admits really overlap.
          this.clock.advance(20);
          await new Promise((resolve) => setTimeout(resolve, 2));
          report({ statusCode: 200, headers: options.headers ?? {} });
          const answer = answers.shift();
          if (!answer) throw new Error(`${label}: no more scripted answers`);
          return await answer();
        } finally {
          this.inFlight--;
        }
      },
    };
  }
}

const rateBlock = (toWaitSec?: number) => () => {
  throw new QualysRateLimitError({ kind: "rate", limit: 300, windowSec: 3600, remaining: 0, toWaitSec });
};
const ok = <T>(value: T) => () => value;

function recordingLogger(): QualysLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m) };
}

describe("request scheduler", () => {
  let clock: FakeClock;
  let script: Script;
  beforeEach(() => {
    clock = new FakeClock(0);
    script = new Script(clock);
  });

  it("starts at one call at a time and adopts X-Concurrency-Limit-Limit from the first response", async () => {
    const scheduler = new LimitAwareScheduler({ clock });
    const first = scheduler.run(script.call("a", [ok(1)], { headers: { "x-concurrency-limit-limit": "2" } }));
    const rest = ["b", "c", "d", "e"].map((l) => scheduler.run(script.call(l, [ok(1)], { headers: { "x-concurrency-limit-limit": "2" } })));
    await Promise.all([first, ...rest]);
    assert.equal(script.starts[0]!.label, "a");
    assert.ok(script.starts.slice(1).every((s) => s.at >= 20), "nobody started before the first answer taught the limit");
    assert.equal(script.maxInFlight, 2);
  });

  it("a rate block with ToWait holds back every queued call until it ends", async () => {
    const logger = recordingLogger();
    const scheduler = new LimitAwareScheduler({ clock, logger });
    await Promise.all([
      scheduler.run(script.call("blocked", [rateBlock(30), ok(1)])),
      scheduler.run(script.call("queued-1", [ok(1)])),
      scheduler.run(script.call("queued-2", [ok(1)])),
    ]);
    const later = script.starts.slice(1);
    assert.deepEqual(later.map((s) => s.label).sort(), ["blocked", "queued-1", "queued-2"]);
    assert.ok(later.every((s) => s.at >= 30_020), `queued calls waited for the block: ${JSON.stringify(later)}`);
    assert.match(logger.lines.join("\n"), /Qualys rate limit: waiting 30 s before retrying get blocked \(attempt 2 of 8; no rate headers seen\)/);
  });

  it("does not wait once the block has ended", async () => {
    const scheduler = new LimitAwareScheduler({ clock });
    await scheduler.run(script.call("blocked", [rateBlock(30), ok(1)]));
    const before = clock.now();
    await scheduler.run(script.call("later", [ok(1)]));
    assert.equal(script.starts.at(-1)!.at, before, "the block had ended: no extra wait");
  });

  it("without ToWait backs off with bounded jitter", async () => {
    const scheduler = new LimitAwareScheduler({ clock, random: () => 0.5, baseBackoffMs: 1000 });
    await scheduler.run(script.call("x", [rateBlock(undefined), rateBlock(undefined), ok(1)]));
    const [a, b, c] = script.starts.map((s) => s.at);
    assert.equal(b! - a! - 20, 500, "attempt 1: half of 1 s");
    assert.equal(c! - b! - 20, 1000, "attempt 2: half of 2 s");
    for (let attempt = 1; attempt < 12; attempt++) {
      assert.ok(calculateRetryDelay(attempt, { baseMs: 1000, maxMs: 60_000, random: () => 0.999 }) <= 60_000);
    }
  });

  it("fails fast with QualysRateLimitError when the server asks for more than maxWaitSec", async () => {
    const scheduler = new LimitAwareScheduler({ clock, maxWaitSec: 300 });
    await assert.rejects(scheduler.run(script.call("x", [rateBlock(2050)])), (e: unknown) => {
      assert.ok(e instanceof QualysRateLimitError);
      assert.match(e.message, /wait 2050 s/);
      assert.match(e.message, /exceeds qualys:maxWaitSec \(300 s\)/);
      assert.match(e.message, /limit 300 calls per 3600 s/);
      return true;
    });
    assert.ok(clock.now() < 1000, "no long sleep happened");
  });

  it("stops at retryDeadlineSec for one operation", async () => {
    const scheduler = new LimitAwareScheduler({ clock, retryDeadlineSec: 100 });
    await assert.rejects(scheduler.run(script.call("x", [rateBlock(60), rateBlock(60), ok(1)])), /retryDeadlineSec/);
  });

  it("counts retryDeadlineSec from the first send, not from the time spent queued at the gate", async () => {
    const scheduler = new LimitAwareScheduler({ clock, retryDeadlineSec: 100 });
    const slow = () => clock.sleep(500_000).then(() => 1); // holds the only slot for 500 s
    const first = scheduler.run(script.call("slow", [slow]));
    const queued = scheduler.run(script.call("queued", [rateBlock(60), ok("done")]));
    await first;
    assert.equal(await queued, "done");
    assert.ok(script.starts.find((s) => s.label === "queued")!.at >= 500_000, "it really queued past the deadline");
  });

  it("never re-sends a create after a network failure, but retries it after a block", async () => {
    const scheduler = new LimitAwareScheduler({ clock, random: () => 0 });
    const reset = () => {
      throw new QualysNetworkError("reset", { networkCode: "ECONNRESET" });
    };
    await assert.rejects(scheduler.run(script.call("create", [reset, ok(1)], { idempotent: false })), QualysNetworkError);
    assert.equal(script.starts.length, 1);
    assert.equal(await scheduler.run(script.call("create-2", [rateBlock(5), ok("made")], { idempotent: false })), "made");
  });

  it("retries an idempotent call after a 503, and never a Qualys error answer", async () => {
    const scheduler = new LimitAwareScheduler({ clock, random: () => 0 });
    const unavailable = () => {
      throw new QualysHttpError("503", { statusCode: 503 });
    };
    assert.equal(await scheduler.run(script.call("get", [unavailable, ok("key")])), "key");
    const notFound = () => {
      throw new QualysNotFoundError({ responseCode: "OBJECT_NOT_FOUND" });
    };
    await assert.rejects(scheduler.run(script.call("gone", [notFound, ok("never")])), QualysNotFoundError);
    assert.equal(script.starts.filter((s) => s.label === "gone").length, 1);
  });

  it("spreads the last calls of the window when the budget runs low", async () => {
    const low = { "x-ratelimit-limit": "30", "x-ratelimit-window-sec": "60", "x-ratelimit-remaining": "2" };
    const scheduler = new LimitAwareScheduler({ clock, initialConcurrency: 1 });
    await scheduler.run(script.call("teach", [ok(1)], { headers: low }));
    for (const l of ["p1", "p2", "p3"]) await scheduler.run(script.call(l, [ok(1)], { headers: low }));
    // p1 may go at once; after it, calls go at the rate the window sustains: 60 s / 30 = 2 s.
    const gaps = script.starts.slice(2).map((s, i) => s.at - script.starts[i + 1]!.at);
    assert.deepEqual(gaps, [2_000, 2_000]);
  });

  it("keeps one scheduler per subscription for the whole process", () => {
    assert.equal(schedulerFor("https://a user"), schedulerFor("https://a user"));
    assert.notEqual(schedulerFor("https://a user"), schedulerFor("https://b user"));
  });
});
