import { strict as assert } from "node:assert";
import { parseLimitHeaders } from "../../provider/qualys/wire/parse-limit-headers";

describe("parse-limit-headers", () => {
  it("reads the seed's blocked-call headers, case-insensitively", () => {
    assert.deepEqual(
      parseLimitHeaders({
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-ToWait-Sec": "2050",
        "X-RateLimit-Window-Sec": "3600",
        "X-RateLimit-Limit": "300",
        "content-length": "0",
      }),
      { rateLimit: 300, windowSec: 3600, remaining: 0, toWaitSec: 2050 },
    );
  });

  it("reads both spellings of the concurrency headers", () => {
    assert.deepEqual(parseLimitHeaders({ "x-concurrency-limit-limit": "2", "x-concurrency-limit-running": ["1"] }), {
      concurrencyLimit: 2,
      concurrencyRunning: 1,
    });
    assert.deepEqual(parseLimitHeaders({ "X-ConcurrencyLimit-Limit": " 5 ", "X-ConcurrencyLimit-Running": "3" }), {
      concurrencyLimit: 5,
      concurrencyRunning: 3,
    });
  });

  it("prefers the documented spelling when both come, in either order, and falls back to the other when it is unreadable", () => {
    assert.deepEqual(parseLimitHeaders({ "x-concurrencylimit-limit": "9", "x-concurrency-limit-limit": "2" }), { concurrencyLimit: 2 });
    assert.deepEqual(parseLimitHeaders({ "x-concurrency-limit-limit": "2", "x-concurrencylimit-limit": "9" }), { concurrencyLimit: 2 });
    assert.deepEqual(parseLimitHeaders({ "x-concurrency-limit-limit": "two", "x-concurrencylimit-limit": "9" }), { concurrencyLimit: 9 });
  });

  it("leaves missing and unreadable headers out", () => {
    assert.deepEqual(parseLimitHeaders({ "x-ratelimit-limit": "lots", "x-ratelimit-towait-sec": "" }), {});
  });
});
