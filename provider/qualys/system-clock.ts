/** The real clock: wall time and timers. Tests inject their own `Clock` instead (types.ts). */
import type { Clock } from "./types";

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
