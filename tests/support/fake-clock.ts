/** A Clock whose time moves only when the test says so; sleeping advances it instantly. */
import type { Clock } from "../../provider/qualys/types";

export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2025, 0, 1)) {}
  now(): number {
    return this.current;
  }
  async sleep(ms: number): Promise<void> {
    this.current += ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
