import { strict as assert } from "node:assert";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { qps, until, type QpsAnswer } from "./simulator-http";

const SEARCH = "<ServiceRequest/>";

function search(sim: RunningSimulator): Promise<QpsAnswer> {
  return qps(sim.url, "search/ca/agentactkey/", SEARCH);
}

describe("simulator limits", () => {
  let sim: RunningSimulator;
  let clock: number;
  afterEach(() => sim.close());

  it("rate-limits over a rolling window with headers, 409 + code 1965, and does not count blocked calls", async () => {
    clock = 1_000_000;
    sim = await startSimulator({ rateLimit: { limit: 3, windowSec: 60 }, now: () => clock });
    const remaining: (string | null)[] = [];
    for (const at of [0, 10, 20]) {
      clock = 1_000_000 + at * 1000;
      const answer = await search(sim);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get("x-ratelimit-limit"), "3");
      assert.equal(answer.headers.get("x-ratelimit-window-sec"), "60");
      assert.equal(answer.headers.get("x-ratelimit-towait-sec"), null);
      remaining.push(answer.headers.get("x-ratelimit-remaining"));
    }
    assert.deepEqual(remaining, ["2", "1", "0"]);
    for (const [at, toWait] of [[30, "30"], [40, "20"]] as const) {
      clock = 1_000_000 + at * 1000;
      const blocked = await search(sim);
      assert.equal(blocked.status, 409);
      assert.equal(blocked.body?.responseCode, "LIMIT_EXCEEDED");
      assert.match(blocked.body?.responseErrorDetails?.errorMessage ?? "", /1965/);
      assert.equal(blocked.headers.get("x-ratelimit-remaining"), "0");
      assert.equal(blocked.headers.get("x-ratelimit-towait-sec"), toWait);
    }
    // The call at t=0 left the window; the two blocked calls did not take its place.
    clock = 1_000_000 + 61_000;
    assert.equal((await search(sim)).status, 200);
    clock = 1_000_000 + 62_000;
    assert.equal((await search(sim)).headers.get("x-ratelimit-towait-sec"), "8");
    assert.deepEqual(
      { search: sim.admin.callCounts()["search"], blocked: sim.admin.callCounts()["blocked"] },
      { search: 4, blocked: 3 },
    );
  });

  it("answers gateway style 429 with an empty body, and can leave out ToWait or every header", async () => {
    sim = await startSimulator({ rateLimit: { limit: 1, windowSec: 3600 }, blockedStatus: 429 });
    await search(sim);
    const blocked = await search(sim);
    assert.equal(blocked.status, 429);
    assert.equal(blocked.text, "");
    assert.equal(blocked.headers.get("x-ratelimit-towait-sec"), "3600");
    sim.admin.setLimits({ sendToWait: false });
    const noWait = await search(sim);
    assert.equal(noWait.headers.get("x-ratelimit-limit"), "1");
    assert.equal(noWait.headers.get("x-ratelimit-towait-sec"), null);
    sim.admin.setLimits({ sendLimitHeaders: false, rateLimit: null });
    const plain = await search(sim);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get("x-ratelimit-limit"), null);
  });

  it("checks concurrency first: a call while another runs gets 409 + code 1960, even with the rate used up", async () => {
    sim = await startSimulator({ concurrencyLimit: 1, rateLimit: { limit: 1, windowSec: 3600 } });
    sim.admin.injectFaults([{ kind: "slow", delayMs: 400 }]);
    const running = search(sim);
    await until(() => sim.admin.maxInFlight() === 1);
    const blocked = await search(sim);
    assert.equal(blocked.status, 409);
    assert.match(blocked.body?.responseErrorDetails?.errorMessage ?? "", /1960/);
    assert.equal(blocked.headers.get("x-concurrency-limit-limit"), "1");
    assert.equal(blocked.headers.get("x-concurrency-limit-running"), "1");
    const first = await running;
    assert.equal(first.status, 200);
    // Running counts the calls besides the one answered: none was left when it finished.
    assert.equal(first.headers.get("x-concurrency-limit-running"), "0");
    assert.equal(sim.admin.maxInFlight(), 1);
    // Now only the rate limit blocks.
    assert.match((await search(sim)).body?.responseErrorDetails?.errorMessage ?? "", /1965/);
  });

  it("tracks the highest number of calls in flight at once", async () => {
    sim = await startSimulator();
    sim.admin.injectFaults([{ kind: "slow", delayMs: 300, count: 2 }]);
    const first = search(sim);
    await until(() => sim.admin.maxInFlight() === 1);
    const second = search(sim);
    await until(() => sim.admin.maxInFlight() === 2);
    await Promise.all([first, second]);
    await search(sim);
    assert.equal(sim.admin.maxInFlight(), 2);
  });
});
