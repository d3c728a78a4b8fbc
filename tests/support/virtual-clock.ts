/**
 * A Clock for tests of concurrent waits. Unlike FakeClock, whose `sleep` moves time for everyone at
 * once (so two parallel 30 s sleeps add up to 60 s), sleeps here are timers that fire in time order,
 * and time only moves when nothing else can run: parallel waits overlap as they do in production,
 * and assertions can name exact virtual instants.
 *
 * All waiting in the code under test must go through this clock (no real timers or I/O), because
 * "nothing else can run" is judged by letting the event loop turn once.
 */
import type { Clock } from "../../provider/qualys/types";

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class VirtualClock implements Clock {
  private readonly timers: Timer[] = [];
  private seq = 0;

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((fire) => this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, fire }));
  }

  /** Settles `work`, firing timers in order of their instant whenever the event loop is idle. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return work;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error("VirtualClock: the work waits for something other than this clock");
      this.current = Math.max(this.current, next.at);
      next.fire();
    }
  }
}
