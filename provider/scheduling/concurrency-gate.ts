/**
 * A FIFO gate for the subscription's concurrency limit. It starts at one call at a time, because
 * small tiers allow only one and the first response tells us the real limit
 * (`X-Concurrency-Limit-Limit`, docs/qualys-api.md): then it adopts it. Going
 * down never interrupts calls in flight; new calls simply wait until fewer are running.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private limit = 1) {}

  get currentLimit(): number {
    return this.limit;
  }

  /** Resolves with a release function once a slot is free. */
  async acquire(): Promise<() => void> {
    if (this.running >= this.limit || this.waiting.length > 0) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.admit();
    };
  }

  /** Adopts the limit the server announced (at least 1). */
  setLimit(limit: number): void {
    this.limit = Math.max(1, Math.floor(limit));
    this.admit();
  }

  private admit(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      this.running++;
      this.waiting.shift()!();
    }
  }
}
