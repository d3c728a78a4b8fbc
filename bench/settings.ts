/** The bench's sizes, limits and phase names, and the keys it declares. */
import type { Props } from "./types";

/** Keys per scenario (BENCH_KEYS; scenario B always refreshes 500). */
export const N = Number(process.env.BENCH_KEYS ?? 200);
/**
 * Scenario A runs of pulumi-qualys, each in a fresh process; the create target is judged on their
 * median (one run is noisy).
 */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
export const LATENCY_MS = 20;
/** Phase names of scenario A that the targets read. */
export const CREATE = "create (up)";
export const NO_OP = "no-op up";
export const DESTROY = "destroy";
/** Phase names of scenario C that the targets read. */
export const ADOPT_AS_IS = "adopt N keys as declared";
export const ADOPT_CHANGED = "adopt N keys, each changed";
/** Engine parallelism of the last scenario C phase: what the changed adopt costs when the engine runs more at once. */
export const WIDE_PARALLELISM = 64;
export const ADOPT_CHANGED_WIDE = `adopt N keys, each changed, ${WIDE_PARALLELISM} operations at once`;
export const UPDATE = "update: one more module each";
export const CONCURRENCY = 2;
export const ENGINE_PARALLELISM = 16;
export const USER = { username: "bench", password: "bench-password" }; // simulator-only user
/** Scenario D: keys retired, and agents on each. */
export const RETIRE_KEYS = 100;
export const RETIRE_AGENTS = 5;
/** Phase names of scenario D that the targets read. */
export const RETIRE_COUNTED = `retire ${RETIRE_KEYS} keys with agents (state counts them)`;
export const RETIRE_STALE = `retire ${RETIRE_KEYS / 2} keys whose agents enrolled after the last refresh`;

/**
 * Scenario E: keys rotated, with RETIRE_AGENTS agents each. A rotation costs at least 4 calls a key
 * (rename, create, move, delete: rotate.ts), so a 300 calls/hour subscription rotates at most ~70
 * keys an hour: the fleet is rotated in runs of ROTATE_PER_RUN, each on a fresh hour's budget.
 */
export const ROTATE_KEYS = 100;
export const ROTATE_PER_RUN = 50;
export const ROTATE = `rotate ${ROTATE_KEYS} keys with agents, ${ROTATE_KEYS / ROTATE_PER_RUN} runs of ${ROTATE_PER_RUN} (one hour's budget each)`;

/** Scenario A's key `i`: COUNT_LIMITED, titled `bench-i`. */
export function declared(i: number): Props {
  return { title: `bench-${i}`, type: "COUNT_LIMITED", countPurchased: 10 + i, modules: ["VM_LICENSE", "PC_LICENSE"], tagIds: [] };
}

/** Scenario C's keys: UNLIMITED, titled `prefix-i`, with `modules`. */
export function fleetKey(prefix: string, i: number, modules: string[]): Props {
  return { title: `${prefix}-${i}`, type: "UNLIMITED", modules, tagIds: [] };
}
