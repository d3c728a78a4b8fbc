/**
 * One "blocked until" instant per subscription. When Qualys blocks a call for the rate limit, every
 * call queued behind it would be blocked too: they all wait for the same instant instead of each
 * discovering the block with a rejected call of its own.
 */
export class BlockedUntil {
  private until = 0;

  /** Extends the block to `instant` (ms since the epoch); never shortens it. */
  blockUntil(instant: number): void {
    this.until = Math.max(this.until, instant);
  }

  /** Milliseconds still to wait at `now`; 0 when not blocked. */
  remainingMs(now: number): number {
    return Math.max(0, this.until - now);
  }
}
