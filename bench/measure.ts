/** Running a phase's operations with bounded parallelism and measuring its calls, wall time and CPU. */
import { readFileSync } from "node:fs";
import type { SimulatorProcess } from "./simulator-process";
import type { PhaseResult } from "./types";

/** agentactkey calls the simulator counts (blocked ones under "blocked"); /auth is not limited. */
const COUNTED_CALLS = ["create", "get", "update", "delete", "search", "changeactkey", "blocked"];

/** Runs `work` on every item, `parallelism` at once; the number of items whose work failed. */
export async function pool<T>(items: readonly T[], parallelism: number, work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  let failed = 0;
  const workers = Array.from({ length: Math.min(parallelism, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch(() => failed++);
    }
  });
  await Promise.all(workers);
  return failed;
}

/** Runs one phase of `ops` operations and measures its API calls (as the simulator counted them), wall time and CPU. */
export async function measure(sim: SimulatorProcess, phase: string, ops: number, run: () => Promise<number>): Promise<PhaseResult> {
  await sim.resetLog();
  const cpu = process.cpuUsage();
  const mainThread = mainThreadCpuMs();
  const start = performance.now();
  const failed = await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const mainThreadMs = mainThread === undefined ? undefined : mainThreadCpuMs()! - mainThread;
  const counts = await sim.counts();
  const rejected = counts.blocked ?? 0;
  const calls = COUNTED_CALLS.reduce((sum, name) => sum + (counts[name] ?? 0), 0);
  const perOp = (ms: number): number => ms / Math.max(ops, 1);
  const result: PhaseResult = { phase, calls, rejected, failed, wallMs, cpuMsPerOp: perOp((used.user + used.system) / 1000) };
  if (mainThreadMs !== undefined) result.mainThreadMsPerOp = perOp(mainThreadMs);
  return result;
}

/**
 * CPU time of this process's main thread, ms (user + system, from /proc; 10 ms resolution), or
 * undefined where /proc is missing. process.cpuUsage() counts every thread, V8's compiler and
 * garbage-collector threads included: in a fresh process they are a large part of the total.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime and stime, in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}
