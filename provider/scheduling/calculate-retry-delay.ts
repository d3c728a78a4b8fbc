/**
 * Capped exponential backoff with full jitter: attempt n waits a random time in
 * [0, min(maxMs, baseMs × 2^(n-1))]. Jitter keeps the resources of one `pulumi up` (and the other
 * scripts sharing the subscription) from retrying in lock-step.
 */
interface RetryDelayOptions {
  baseMs: number;
  maxMs: number;
  /** A number in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

export function calculateRetryDelay(attempt: number, options: RetryDelayOptions): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(options.random() * ceiling);
}
