/**
 * Runs every call of one subscription: waits its turn, learns the limits from each response, and
 * retries by written-down rules (provider/scheduling/retries-and-waiters.md has the reasons):
 *
 * 1. Blocked by a limit (409 / 429 → QualysRateLimitError): the call was not processed, so it is
 *    retried whatever the operation. A rate block sets the subscription's shared "blocked until"
 *    from X-RateLimit-ToWait-Sec (or a jittered backoff when the header is missing) and every queued
 *    call honours it; a concurrency block lowers the gate to the announced limit and retries after
 *    a short backoff.
 * 2. No clear answer that may heal in seconds (reset, 5xx, cut body): retried with capped
 *    exponential backoff and full jitter, only for idempotent calls. A create is never re-sent
 *    here: create-or-adopt.ts searches for the title first.
 * 3. Anything else is final: a Qualys error code, bad credentials, not found — and, because
 *    retrying cannot help, a timeout, a refused connection or TLS certificate, an unknown host, an
 *    oversize answer (is-retryable.ts says why for each).
 * 4. Caps: a single wait longer than maxWaitSec, or one that would end past the operation's
 *    retryDeadlineSec, fails at once with a QualysRateLimitError that says how long the server
 *    asked to wait and what to do — a stuck API fails fast instead of looking hung. At most
 *    maxAttempts attempts.
 * Every wait and retry is logged with its length, the attempt and the remaining budget. A call's
 * concurrency slot is freed as soon as its answer arrives, unless the answer may be a block
 * (ResponseMeta.mayBeLimitBlock): parsing the body never keeps the next call waiting.
 */
import { QualysRateLimitError } from "../qualys/errors";
import { parseLimitHeaders } from "../qualys/wire/parse-limit-headers";
import { systemClock } from "../qualys/system-clock";
import type { QualysLogger, RequestScheduler, ResponseMeta, ScheduledCall, SchedulerOptions } from "../qualys/types";
import { BlockedUntil } from "./blocked-until";
import { calculateRetryDelay } from "./calculate-retry-delay";
import { ConcurrencyGate } from "./concurrency-gate";
import { isBlockedByLimit, isTransientFailure } from "./is-retryable";
import { RatePacer } from "./rate-pacer";

const silent: QualysLogger = { info: () => undefined, warn: () => undefined };

/**
 * What every configuration of one subscription shares, because Qualys counts limits per
 * subscription: the concurrency gate, the learned rate budget and the "blocked until" of a block.
 */
export class SubscriptionLimits {
  readonly gate: ConcurrencyGate;
  readonly blocked = new BlockedUntil();
  readonly pacer = new RatePacer();

  /** @param initialConcurrency calls allowed at once until the server announces its limit. */
  constructor(initialConcurrency = 1) {
    this.gate = new ConcurrencyGate(initialConcurrency);
  }
}

/**
 * A scheduler with its own caps (maxWaitSec, retryDeadlineSec, attempts), clock and logger, over
 * limits it may share with the schedulers of other configurations of the same subscription.
 */
export class LimitAwareScheduler implements RequestScheduler {
  private readonly gate: ConcurrencyGate;
  private readonly blocked: BlockedUntil;
  private readonly pacer: RatePacer;
  private readonly maxWaitMs: number;
  private readonly deadlineMs: number;
  private readonly maxAttempts: number;
  private readonly clock;
  private readonly logger: QualysLogger;
  private readonly backoff;

  /** @param limits the subscription's shared limits; by default this scheduler's own. */
  constructor(options: SchedulerOptions = {}, limits = new SubscriptionLimits(options.initialConcurrency ?? 1)) {
    this.gate = limits.gate;
    this.blocked = limits.blocked;
    this.pacer = limits.pacer;
    this.maxWaitMs = (options.maxWaitSec ?? 300) * 1000;
    this.deadlineMs = (options.retryDeadlineSec ?? 900) * 1000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silent;
    this.backoff = { baseMs: options.baseBackoffMs ?? 1000, maxMs: options.maxBackoffMs ?? 60_000, random: options.random ?? Math.random };
  }

  async run<T>(call: ScheduledCall<T>): Promise<T> {
    // The deadline counts from the first send, not from joining the queue: in a 500-key run a call
    // may wait its turn for a long time without anything being wrong with it.
    let deadline = Number.POSITIVE_INFINITY;
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs = 0;
      const release = await this.acquireTurn(call, attempt, deadline);
      if (attempt === 1) deadline = this.clock.now() + this.deadlineMs;
      try {
        return await call.attempt((meta) => {
          this.observe(meta);
          // The server has answered, so it no longer counts this call as running: let the next
          // call go out while this body is parsed. A possible block keeps the slot until it is
          // recorded below, or a queued call could go out during it.
          if (!meta.mayBeLimitBlock) release();
        });
      } catch (error) {
        const retryable = isBlockedByLimit(error) || (isTransientFailure(error) && call.idempotent);
        if (!retryable) throw error;
        const waitMs = this.retryWait(error, attempt);
        // A rate block holds back every call of the subscription; anything else only this one.
        // The block is recorded even when this call gives up on it, so the calls queued behind
        // fail fast at the same cap instead of each being refused by the server.
        const sharedBlock = isBlockedByLimit(error) && error.kind === "rate";
        if (sharedBlock) this.blocked.blockUntil(this.clock.now() + waitMs);
        if (attempt >= this.maxAttempts) throw isBlockedByLimit(error) ? this.giveUp(error, `gave up after ${attempt} attempts`) : error;
        this.checkCaps(error, waitMs, deadline);
        this.logger.warn(`${reasonOf(error)}: waiting ${seconds(waitMs)} s before retrying ${describeCall(call)} (attempt ${attempt + 1} of ${this.maxAttempts}; ${this.budgetText()})`);
        if (!sharedBlock) retryAfterMs = waitMs;
      } finally {
        release();
      }
      if (retryAfterMs > 0) await this.clock.sleep(retryAfterMs);
    }
  }

  /**
   * A gate slot at a moment when the subscription is not blocked. A call that queued at the gate
   * before a block began checks again once admitted, so it never goes out during the block.
   */
  private async acquireTurn(call: ScheduledCall<unknown>, attempt: number, deadline: number): Promise<() => void> {
    for (;;) {
      await this.waitForBlock(call, attempt, deadline);
      await this.pace(call);
      const release = await this.gate.acquire();
      if (this.blocked.remainingMs(this.clock.now()) === 0) return release;
      release();
    }
  }

  /** Spreads the remaining rate budget (rate-pacer.ts); voluntary, so capped at maxWaitSec silently. */
  private async pace(call: ScheduledCall<unknown>): Promise<void> {
    const pacing = Math.min(this.pacer.reserve(this.clock.now(), this.gate.currentLimit), this.maxWaitMs);
    if (pacing >= 1000) this.logger.info(`Qualys rate budget low: pacing ${describeCall(call)} by ${seconds(pacing)} s (${this.budgetText()})`);
    if (pacing > 0) await this.clock.sleep(pacing);
  }

  /** Feeds the gate and the pacer from a response's headers. */
  private observe(meta: ResponseMeta): void {
    const limits = parseLimitHeaders(meta.headers);
    if (limits.concurrencyLimit !== undefined) this.gate.setLimit(limits.concurrencyLimit);
    this.pacer.observe(limits);
  }

  /** Every call waits out the shared block before it starts (rule 1). */
  private async waitForBlock(call: ScheduledCall<unknown>, attempt: number, deadline: number): Promise<void> {
    for (let waitMs = this.blocked.remainingMs(this.clock.now()); waitMs > 0; waitMs = this.blocked.remainingMs(this.clock.now())) {
      if (waitMs > this.maxWaitMs || this.clock.now() + waitMs > deadline) {
        const budget = this.pacer.budget();
        throw new QualysRateLimitError({
          kind: "rate",
          operation: call.operation,
          limit: budget.limit,
          windowSec: budget.windowSec,
          remaining: budget.remaining,
          toWaitSec: Math.ceil(waitMs / 1000),
          reason: this.capReason(waitMs, deadline),
        });
      }
      if (attempt === 1) this.logger.info(`Qualys rate limit: ${describeCall(call)} waits ${seconds(waitMs)} s for the subscription's block to end (attempt ${attempt} of ${this.maxAttempts}; ${this.budgetText()})`);
      await this.clock.sleep(waitMs);
    }
  }

  private retryWait(error: unknown, attempt: number): number {
    if (isBlockedByLimit(error)) {
      if (error.toWaitSec !== undefined) return error.toWaitSec * 1000;
      if (error.kind === "concurrency") {
        // The gate learned the limit from this response's headers if it had them; a short pause
        // lets the calls in flight finish.
        if (error.limit === undefined) this.gate.setLimit(Math.max(1, this.gate.currentLimit - 1));
      }
    }
    return calculateRetryDelay(attempt, this.backoff);
  }

  /** Rule 4: fail fast instead of a wait longer than the caps. */
  private checkCaps(error: unknown, waitMs: number, deadline: number): void {
    if (waitMs <= this.maxWaitMs && this.clock.now() + waitMs <= deadline) return;
    if (isBlockedByLimit(error)) throw this.giveUp(error, this.capReason(waitMs, deadline));
    throw error;
  }

  private capReason(waitMs: number, deadline: number): string {
    return waitMs > this.maxWaitMs
      ? `waiting ${seconds(waitMs)} s exceeds qualys:maxWaitSec (${seconds(this.maxWaitMs)} s)`
      : `waiting ${seconds(waitMs)} s would pass qualys:retryDeadlineSec (${seconds(this.deadlineMs)} s for one operation; ${seconds(Math.max(0, deadline - this.clock.now()))} s left)`;
  }

  private giveUp(error: QualysRateLimitError, reason: string): QualysRateLimitError {
    return new QualysRateLimitError({
      kind: error.kind,
      operation: error.operation,
      keyId: error.keyId,
      title: error.title,
      request: error.request,
      statusCode: error.statusCode,
      limit: error.limit,
      windowSec: error.windowSec,
      remaining: error.remaining,
      toWaitSec: error.toWaitSec,
      reason,
      cause: error,
    });
  }

  private budgetText(): string {
    const { limit, windowSec, remaining } = this.pacer.budget();
    if (remaining === undefined) return "no rate headers seen";
    return `${remaining} of ${limit ?? "?"} calls left in the ${windowSec ?? "?"} s window`;
  }
}

function describeCall(call: ScheduledCall<unknown>): string {
  return call.subject ? `${call.operation} ${call.subject}` : call.operation;
}

function reasonOf(error: unknown): string {
  if (isBlockedByLimit(error)) return error.kind === "concurrency" ? "Qualys concurrency limit" : "Qualys rate limit";
  return `Qualys ${error instanceof Error ? error.name : "error"}`;
}

function seconds(ms: number): string {
  return ms >= 10_000 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(1);
}
