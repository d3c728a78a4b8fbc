/**
 * Per-subscription API limits (docs/qualys-api.md, "Rate and concurrency limits"; Qualys' "Get
 * Started with VMDR OT APIs", "API Rate Limits"): a rolling-window call count and a
 * concurrency limit, checked concurrency first, and the X-RateLimit-* / X-Concurrency-Limit-*
 * headers that report them.
 *
 * Decision: a blocked call is not processed and is NOT counted in the rolling window. Qualys says
 * a blocked call "was not processed"; not counting it means a client that waits ToWait seconds
 * gets through, instead of a retry storm keeping the window full forever.
 *
 * `X-Concurrency-Limit-Running` counts the calls running *besides* the one being answered, read
 * when the answer is written: Qualys' own tooling treats Running >= Limit after any answer as
 * "blocked, sleep and retry", so counting the answered call itself would make a sequential client
 * loop forever on a 1-concurrency subscription (docs/qualys-api.md, "Rate and concurrency limits").
 */
import type { SimulatorOptions } from "./types";

export type LimitSettings = Required<Pick<SimulatorOptions, "blockedStatus" | "sendToWait" | "sendLimitHeaders" | "blockedBody">> & {
  rateLimit: { limit: number; windowSec: number } | null;
  concurrencyLimit: number | null;
};

type BlockReason = "rate" | "concurrency";

/** Why a call was refused, with the figures a classic 409 body states (classic-block-body.ts). */
export interface Block {
  reason: BlockReason;
  headers: Record<string, string>;
  /** Rate block: seconds until the window frees a call. */
  toWaitSec?: number;
  /** Concurrency block: running calls that must finish before one more is accepted. */
  callsToFinish?: number;
}

/** An admitted call's `headers()` reads the limits as of its call: make it when the answer is written. */
type Admission =
  | { admitted: true; headers: () => Record<string, string>; release: () => void }
  | ({ admitted: false } & Block);

/** The limits used when a fault simulates a block without limits being configured. */
const DEFAULT_RATE = { limit: 300, windowSec: 3600 };

export class LimitTracker {
  private callTimes: number[] = [];
  private running = 0;
  private peak = 0;

  constructor(
    /** Mutable: the admin API changes limits at run time. */
    public settings: LimitSettings,
    private readonly now: () => number,
  ) {}

  /** Highest number of admitted calls in flight at once. */
  get maxInFlight(): number {
    return this.peak;
  }

  /** Forgets the window and the peak (admin reset). */
  resetCounters(): void {
    this.callTimes = [];
    this.peak = this.running;
  }

  /** Admits the call (remember to `release()` it) or says which limit blocks it. */
  admit(): Admission {
    const { rateLimit, concurrencyLimit } = this.settings;
    this.pruneWindow();
    if (concurrencyLimit !== null && this.running >= concurrencyLimit) {
      return { admitted: false, reason: "concurrency", headers: this.headers(1, 0), callsToFinish: this.running - concurrencyLimit + 1 };
    }
    if (rateLimit !== null && this.callTimes.length >= rateLimit.limit) {
      const toWaitSec = this.secondsUntilSlotFrees();
      return { admitted: false, reason: "rate", headers: this.headers(toWaitSec, 0), toWaitSec };
    }
    // Only counted while a rate limit is on: turning one on at run time starts an empty window.
    if (rateLimit !== null) this.callTimes.push(this.now());
    this.running += 1;
    this.peak = Math.max(this.peak, this.running);
    let released = false;
    return {
      admitted: true,
      headers: () => this.headers(undefined, released ? 0 : 1),
      release: () => {
        if (!released) this.running -= 1;
        released = true;
      },
    };
  }

  /** Headers for a block simulated by a fault: the rate headers with Remaining 0 and `toWaitSec` if given. */
  simulatedBlockHeaders(toWaitSec: number | undefined): Record<string, string> {
    const rate = this.settings.rateLimit ?? DEFAULT_RATE;
    const headers: Record<string, string> = {
      "X-RateLimit-Limit": String(rate.limit),
      "X-RateLimit-Window-Sec": String(rate.windowSec),
      "X-RateLimit-Remaining": "0",
    };
    if (toWaitSec !== undefined) headers["X-RateLimit-ToWait-Sec"] = String(toWaitSec);
    return headers;
  }

  private pruneWindow(): void {
    const { rateLimit } = this.settings;
    if (rateLimit === null) return;
    const windowStart = this.now() - rateLimit.windowSec * 1000;
    this.callTimes = this.callTimes.filter((time) => time > windowStart);
  }

  private secondsUntilSlotFrees(): number {
    const oldest = this.callTimes[0];
    const windowMs = (this.settings.rateLimit?.windowSec ?? 0) * 1000;
    return oldest === undefined ? 1 : Math.max(1, Math.ceil((oldest + windowMs - this.now()) / 1000));
  }

  /**
   * @param toWaitSec set for a blocked call only.
   * @param self 1 when the answered call is among the running ones (it is not counted), else 0.
   */
  private headers(toWaitSec: number | undefined, self: 0 | 1): Record<string, string> {
    const { rateLimit, concurrencyLimit, sendLimitHeaders, sendToWait } = this.settings;
    const headers: Record<string, string> = {};
    if (!sendLimitHeaders) return headers;
    if (rateLimit !== null) {
      headers["X-RateLimit-Limit"] = String(rateLimit.limit);
      headers["X-RateLimit-Window-Sec"] = String(rateLimit.windowSec);
      headers["X-RateLimit-Remaining"] = String(Math.max(0, rateLimit.limit - this.callTimes.length));
    }
    if (concurrencyLimit !== null) {
      headers["X-Concurrency-Limit-Limit"] = String(concurrencyLimit);
      headers["X-Concurrency-Limit-Running"] = String(this.running - self);
    }
    if (toWaitSec !== undefined && sendToWait) headers["X-RateLimit-ToWait-Sec"] = String(toWaitSec);
    return headers;
  }
}
