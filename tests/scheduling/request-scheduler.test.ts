import { strict as assert } from "node:assert";
import { QualysHttpError, QualysNetworkError, QualysNotFoundError, QualysRateLimitError } from "../../provider/qualys/errors";
import type { Clock, QualysLogger, ResponseMeta, ScheduledCall } from "../../provider/qualys/types";
import { calculateRetryDelay } from "../../provider/scheduling/calculate-retry-delay";
import { LimitAwareScheduler } from "../../provider/scheduling/request-scheduler";
import { schedulerFor } from "../../provider/scheduling/scheduler-registry";
import { FakeClock } from "../support/fake-clock";
import { VirtualClock } from "../support/virtual-clock";

/**
 * A call's latency under FakeClock: 20 ms of the fake clock, and a real turn of the event loop so
 * that calls the gate admits really overlap.
 */
const fakeLatency = (clock: FakeClock) => async () => {
  clock.advance(20);
  await new Promise((resolve) => setTimeout(resolve, 2));
};

/**
 * Replays scripted answers and records when each attempt started and how many ran at once. Like
 * qps-call.ts, an attempt reports the answer when it arrives (a block as a 409 that may be one),
 * then takes a turn of the event loop (or of a VirtualClock) to "parse" it before resolving or throwing.
 */
class Script {
  readonly starts: { label: string; at: number; othersParsing: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private parsing = 0;
  constructor(
    readonly clock: Clock,
    private readonly latency: () => Promise<void>,
    private readonly parse: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
  ) {}

  call<T>(label: string, answers: (() => T | Promise<T>)[], options: { idempotent?: boolean; headers?: Record<string, string> } = {}): ScheduledCall<T> {
    return {
      operation: options.idempotent === false ? "create" : "get",
      idempotent: options.idempotent ?? true,
      subject: label,
      attempt: async (report: (meta: ResponseMeta) => void) => {
        this.starts.push({ label, at: this.clock.now(), othersParsing: this.parsing });
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        await this.latency();
        const outcome = await Promise.resolve()
          .then(() => {
            const answer = answers.shift();
            if (!answer) throw new Error(`${label}: no more scripted answers`);
            return answer();
          })
          .then((value) => ({ value }), (error: unknown) => ({ error }));
        const blocked = "error" in outcome && outcome.error instanceof QualysRateLimitError;
        this.inFlight--;
        report({ statusCode: blocked ? 409 : 200, headers: options.headers ?? {}, mayBeLimitBlock: blocked });
        this.parsing++;
        await this.parse();
        this.parsing--;
        if ("error" in outcome) throw outcome.error;
        return outcome.value;
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
    script = new Script(clock, fakeLatency(clock));
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

  it("frees the slot when the answer arrives: the next call goes out while the last body is parsed", async () => {
    const scheduler = new LimitAwareScheduler({ clock });
    await Promise.all(["a", "b", "c"].map((l) => scheduler.run(script.call(l, [ok(1)]))));
    assert.deepEqual(script.starts.map((s) => [s.label, s.at]), [["a", 0], ["b", 20], ["c", 40]]);
    assert.deepEqual(script.starts.map((s) => s.othersParsing), [0, 1, 1], "b and c started while the call before them was parsing");
    assert.equal(script.maxInFlight, 1);
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

  it("a block longer than maxWaitSec fails the queued calls too, without sending them", async () => {
    const virtual = new VirtualClock();
    const vscript = new Script(virtual, () => virtual.sleep(20), () => virtual.sleep(0));
    const scheduler = new LimitAwareScheduler({ clock: virtual, maxWaitSec: 300 });
    const outcomes = await virtual.run(
      Promise.allSettled([
        scheduler.run(vscript.call("blocked", [rateBlock(2050)])),
        ...["q1", "q2", "q3"].map((l) => scheduler.run(vscript.call(l, [ok(1)]))),
      ]),
    );
    assert.equal(vscript.starts.length, 1, "only the first call reached the server");
    for (const outcome of outcomes) {
      assert.equal(outcome.status, "rejected");
      const reason = (outcome as PromiseRejectedResult).reason as unknown;
      assert.ok(reason instanceof QualysRateLimitError);
      assert.match(reason.message, /exceeds qualys:maxWaitSec \(300 s\)/);
      assert.match(reason.message, /wait 20[45]\d s/);
    }
    assert.ok(virtual.now() < 1000, "nobody slept");
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

  it("a concurrency block retries only the blocked call, after a jittered backoff", async () => {
    const virtual = new VirtualClock();
    const vscript = new Script(virtual, () => virtual.sleep(20), () => virtual.sleep(0));
    const limit2 = { "x-concurrency-limit-limit": "2" };
    const scheduler = new LimitAwareScheduler({ clock: virtual, random: () => 0.5, baseBackoffMs: 1000 });
    const busy = () => {
      throw new QualysRateLimitError({ kind: "concurrency", limit: 2 });
    };
    await virtual.run(scheduler.run(vscript.call("teach", [ok(1)], { headers: limit2 })));
    await virtual.run(
      Promise.all([
        scheduler.run(vscript.call("blocked", [busy, ok(1)], { headers: limit2 })),
        ...["q1", "q2", "q3"].map((l) => scheduler.run(vscript.call(l, [ok(1)], { headers: limit2 }))),
      ]),
    );
    const at = (label: string) => vscript.starts.filter((s) => s.label === label).map((s) => s.at);
    assert.deepEqual(at("blocked"), [20, 40 + 500], "retried half of the 1 s ceiling after its answer");
    assert.deepEqual([...at("q1"), ...at("q2"), ...at("q3")], [20, 40, 40], "the others did not wait for it");
    assert.equal(vscript.maxInFlight, 2);
  });

  it("a concurrency block that announces no limit lowers the gate by one", async () => {
    const scheduler = new LimitAwareScheduler({ clock, random: () => 0 });
    await scheduler.run(script.call("teach", [ok(1)], { headers: { "x-concurrency-limit-limit": "2" } }));
    const busy = () => {
      throw new QualysRateLimitError({ kind: "concurrency" });
    };
    await scheduler.run(script.call("blocked", [busy, ok(1)]));
    script.maxInFlight = 0;
    await Promise.all(["a", "b", "c", "d"].map((l) => scheduler.run(script.call(l, [ok(1)]))));
    assert.equal(script.maxInFlight, 1);
  });

  it("a rate block without ToWait holds back every queued call for the jittered backoff", async () => {
    const virtual = new VirtualClock();
    const vscript = new Script(virtual, () => virtual.sleep(20), () => virtual.sleep(0));
    const scheduler = new LimitAwareScheduler({ clock: virtual, random: () => 0.5, baseBackoffMs: 4000 });
    await virtual.run(Promise.all([scheduler.run(vscript.call("blocked", [rateBlock(undefined), ok(1)])), scheduler.run(vscript.call("queued", [ok(1)]))]));
    // Blocked at 20 for half of the 4 s ceiling; then one at a time (no limit announced yet).
    assert.deepEqual(vscript.starts.map((s) => s.at), [0, 2020, 2040]);
  });

  it("a queued call reports its wait for the block with attempt and remaining budget", async () => {
    const virtual = new VirtualClock();
    const vscript = new Script(virtual, () => virtual.sleep(20), () => virtual.sleep(0));
    const logger = recordingLogger();
    const budget = { "x-ratelimit-limit": "300", "x-ratelimit-window-sec": "3600", "x-ratelimit-remaining": "120" };
    const scheduler = new LimitAwareScheduler({ clock: virtual, logger });
    await virtual.run(
      Promise.all([
        scheduler.run(vscript.call("blocked", [rateBlock(40), ok(1)], { headers: budget })),
        scheduler.run(vscript.call("queued", [ok(1)], { headers: budget })),
      ]),
    );
    assert.deepEqual(vscript.starts.map((s) => s.at), [0, 40_020, 40_040], "ToWait 40 s honoured by both calls");
    const text = logger.lines.join("\n");
    assert.match(text, /Qualys rate limit: waiting 40 s before retrying get blocked \(attempt 2 of 8; 120 of 300 calls left in the 3600 s window\)/);
    assert.match(text, /Qualys rate limit: get queued waits 40 s for the subscription's block to end \(attempt 1 of 8; 1\d\d of 300 calls left in the 3600 s window\)/);
  });

  it("gives up after maxAttempts: a block as QualysRateLimitError with the reason, a transient failure as itself", async () => {
    const scheduler = new LimitAwareScheduler({ clock, maxAttempts: 3, random: () => 0 });
    await assert.rejects(scheduler.run(script.call("blocked", [rateBlock(1), rateBlock(1), rateBlock(1), ok(1)])), (e: unknown) => {
      assert.ok(e instanceof QualysRateLimitError);
      assert.match(e.message, /gave up after 3 attempts/);
      return true;
    });
    const unavailable = () => {
      throw new QualysHttpError("503", { statusCode: 503 });
    };
    await assert.rejects(scheduler.run(script.call("flaky", [unavailable, unavailable, unavailable, ok(1)])), QualysHttpError);
    assert.equal(script.starts.filter((s) => s.label === "blocked").length, 3);
    assert.equal(script.starts.filter((s) => s.label === "flaky").length, 3);
  });

  it("the deadline error says how long the server asked to wait and which cap stopped it", async () => {
    const scheduler = new LimitAwareScheduler({ clock, retryDeadlineSec: 100 });
    await assert.rejects(scheduler.run(script.call("x", [rateBlock(60), rateBlock(60), ok(1)])), (e: unknown) => {
      assert.ok(e instanceof QualysRateLimitError);
      assert.equal(e.toWaitSec, 60);
      assert.match(e.message, /the server asks to wait 60 s/);
      assert.match(e.message, /would pass qualys:retryDeadlineSec \(100 s for one operation; \d+ s left\)/);
      return true;
    });
    assert.equal(script.starts.length, 2, "the second block's wait was never started");
  });

  it("costs nothing without limit headers: calls start back to back", async () => {
    const scheduler = new LimitAwareScheduler({ clock });
    for (const l of ["a", "b", "c", "d"]) await scheduler.run(script.call(l, [ok(1)]));
    const gaps = script.starts.slice(1).map((s, i) => s.at - script.starts[i]!.at);
    assert.deepEqual(gaps, [20, 20, 20], "only the calls' own latency");
  });

  it("backoff ceilings double from the base up to the cap, and full jitter stays below them", () => {
    const half = (attempt: number) => calculateRetryDelay(attempt, { baseMs: 1000, maxMs: 60_000, random: () => 0.5 });
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(half), [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    assert.equal(calculateRetryDelay(3, { baseMs: 1000, maxMs: 60_000, random: () => 0 }), 0);
  });

  it("keeps one scheduler per subscription for the whole process", () => {
    assert.equal(schedulerFor("https://a user"), schedulerFor("https://a user"));
    assert.notEqual(schedulerFor("https://a user"), schedulerFor("https://b user"));
  });

  it("applies each configuration's maxWaitSec to its own operations, over the subscription's shared block", async () => {
    const virtual = new VirtualClock();
    const vscript = new Script(virtual, () => virtual.sleep(20), () => virtual.sleep(0));
    const patient = schedulerFor("https://caps user", { clock: virtual, maxWaitSec: 600 });
    const hasty = schedulerFor("https://caps user", { clock: virtual, maxWaitSec: 100 });
    assert.notEqual(patient, hasty, "a second configuration's maxWaitSec is not ignored");
    assert.equal(schedulerFor("https://caps user", { clock: virtual, maxWaitSec: 100 }), hasty, "the same configuration asking again");
    const [waited, failed] = await virtual.run(
      Promise.allSettled([patient.run(vscript.call("patient", [rateBlock(300), ok("done")])), hasty.run(vscript.call("hasty", [ok("sent")]))]),
    );
    assert.deepEqual(waited, { status: "fulfilled", value: "done" }, "600 s allows the 300 s block");
    assert.equal(failed!.status, "rejected");
    const reason = (failed as PromiseRejectedResult).reason as unknown;
    assert.ok(reason instanceof QualysRateLimitError);
    assert.match(reason.message, /exceeds qualys:maxWaitSec \(100 s\)/);
    assert.deepEqual(
      vscript.starts.map((s) => s.label),
      ["patient", "patient"],
      "the hasty call honoured the shared block and was never sent",
    );
  });
});
