/**
 * Spreads the rest of the subscription's rate budget instead of exhausting it. The budget is shared
 * by every script of the customer (Qualys' "Get Started with VMDR OT APIs", "API Rate Limits"), so
 * burning it to zero blocks them all.
 *
 * While plenty remains (more than a reserve of max(2 × concurrency, 5 % of the limit)) there is no
 * delay at all: a 200-key create against a 300-call budget runs at full speed. Below the reserve,
 * calls are spaced at the rate the rolling window sustains (window / limit: 12 s for 300 calls an
 * hour), as old calls age out of the window and free budget. At zero remaining we do not guess:
 * the next call is blocked and the server's X-RateLimit-ToWait-Sec says exactly how long to wait
 * (blocked-until.ts). Without rate headers there is nothing to pace (some endpoints send none).
 */
import type { LimitHeaders } from "../qualys/wire/parse-limit-headers";

export class RatePacer {
  private limit?: number;
  private windowSec?: number;
  private remaining?: number;
  private nextStart = 0;

  /** Learns from a response's headers. */
  observe(limits: LimitHeaders): void {
    if (limits.rateLimit !== undefined) this.limit = limits.rateLimit;
    if (limits.windowSec !== undefined) this.windowSec = limits.windowSec;
    if (limits.remaining !== undefined) this.remaining = limits.remaining;
  }

  /** What is known of the budget, for log lines. */
  budget(): { limit?: number; windowSec?: number; remaining?: number } {
    return { limit: this.limit, windowSec: this.windowSec, remaining: this.remaining };
  }

  /**
   * Reserves a start time for the next call and returns how long to wait for it (ms). Each start
   * also counts against our own estimate of the remaining budget, so concurrent callers do not all
   * see the same "plenty left".
   */
  reserve(now: number, concurrency: number): number {
    if (this.remaining === undefined || this.windowSec === undefined || this.limit === undefined) return 0;
    const reserve = Math.max(2 * concurrency, Math.ceil(0.05 * this.limit));
    const remaining = this.remaining;
    this.remaining = Math.max(0, remaining - 1);
    if (remaining > reserve || remaining === 0) return 0;
    const spacing = (this.windowSec * 1000) / this.limit;
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + spacing;
    return start - now;
  }
}
