/** The bench's printed tables: one per scenario, and the targets. */
import { ADOPT_AS_IS, ADOPT_CHANGED, ADOPT_CHANGED_WIDE, CREATE, DESTROY, ENGINE_PARALLELISM, N, NO_OP, RETIRE_COUNTED, RETIRE_KEYS, RETIRE_STALE, ROTATE, ROTATE_KEYS, UPDATE, WIDE_PARALLELISM } from "./settings";
import type { ColdStart } from "./plugin-cold-start";
import type { PhaseResult } from "./types";

/** One scenario's phases as a markdown table; `ideal` adds the wall time against it for creates and the update. */
export function table(title: string, rows: (PhaseResult & { mode: string })[], ideal?: number): void {
  console.log(`\n${title}`);
  console.log("| mode | phase | API calls | rejected (409) | failed ops | wall ms | vs ideal | provider CPU ms/op | of which main thread |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const vsIdeal = ideal !== undefined && (r.phase.startsWith("create") || r.phase === UPDATE) ? `${(r.wallMs / ideal).toFixed(2)} ×` : "";
    const mainThread = r.mainThreadMsPerOp === undefined ? "" : r.mainThreadMsPerOp.toFixed(2);
    console.log(`| ${r.mode} | ${r.phase} | ${r.calls} | ${r.rejected} | ${r.failed} | ${r.wallMs.toFixed(0)} | ${vsIdeal} | ${r.cpuMsPerOp.toFixed(2)} | ${mainThread} |`);
  }
}

/** The plugin's cold start, each way users run it. */
export function coldStartTable(starts: readonly ColdStart[]): void {
  console.log(`\nPlugin cold start (median of ${starts[0]?.starts ?? 0} starts): what the engine waits for before its first call`);
  console.log("| plugin | spawn → port ms | spawn → Configure answered ms |");
  console.log("|---|---:|---:|");
  for (const start of starts) console.log(`| ${start.way} | ${start.toPortMs.toFixed(0)} | ${start.toConfigureMs.toFixed(0)} |`);
}

/** The targets of issues 4, 5, 12 and 17, each with what pulumi-qualys measured over every run. */
export function targets(runs: PhaseResult[][], ideal: number, refresh: PhaseResult, fleet: PhaseResult[], retire: PhaseResult[], rotate: PhaseResult): void {
  const rejected = Math.max(...[...runs.flat(), ...fleet, ...retire, rotate].map((r) => r.rejected));
  const retireCounted = phaseOf(retire, RETIRE_COUNTED);
  const retireStale = phaseOf(retire, RETIRE_STALE);
  const createRatios = runs.map((run) => phaseOf(run, CREATE).wallMs / ideal);
  const medianRatio = medianBy(createRatios, (ratio) => ratio);
  const noopCalls = Math.max(...runs.map((run) => phaseOf(run, NO_OP).calls));
  const median = medianBy(runs, (run) => phaseOf(run, CREATE).wallMs);
  const update = phaseOf(fleet, UPDATE);
  const adoptAsIs = phaseOf(fleet, ADOPT_AS_IS);
  const adoptChanged = phaseOf(fleet, ADOPT_CHANGED);
  const adoptChangedWide = phaseOf(fleet, ADOPT_CHANGED_WIDE);
  // CPU per operation is information, not a target (the API budget is): create's is shown as the
  // median of the runs, since one fresh process varies by ±0.15 ms a key on this VM.
  const createCpus = runs.map((run) => phaseOf(run, CREATE).cpuMsPerOp);
  const cpu = [{ ...phaseOf(median, CREATE), cpuMsPerOp: medianBy(createCpus, (ms) => ms) }, update, phaseOf(median, DESTROY)];
  const rows: [string, string, boolean][] = [
    ["zero rejected calls (every phase, every run)", `${rejected} rejected`, rejected === 0],
    [`create wall time ≤ 1.2 × ideal (median of ${runs.length})`, `${medianRatio.toFixed(2)} × (runs: ${createRatios.map((x) => x.toFixed(2)).join(", ")})`, medianRatio <= 1.2],
    ["no-op up makes zero calls", `${noopCalls} calls`, noopCalls === 0],
    ["refresh of 500 keys in ≤ 3 calls", `${refresh.calls} calls`, refresh.calls <= 3],
    [`fleet-wide update of ${N} keys ≤ 1.1 × N calls (naive: 2 × N)`, `${update.calls} calls = ${(update.calls / N).toFixed(3)} × N`, update.calls <= 1.1 * N],
    // The issue's adopt (its "today": a failed create, title searches and a get per key) takes the
    // keys over as they are. A key that also needs a change is an adopt plus an update, so it is
    // held to the update's target; N + 6 is out of its reach at this engine parallelism (README).
    [`adopt of ${N} existing keys (\`adopt: true\`) ≤ N + 6 calls`, `${adoptAsIs.calls} calls`, adoptAsIs.calls <= N + 6],
    [
      `adopt of ${N} existing keys that each need one more module ≤ 1.1 × N calls (an adopt plus an update: the update's target)`,
      `${adoptChanged.calls} calls = N + ${adoptChanged.calls - N} = ${(adoptChanged.calls / N).toFixed(3)} × N (floor N + ⌈N / ${ENGINE_PARALLELISM}⌉ = N + ${Math.ceil(N / ENGINE_PARALLELISM)} at ${ENGINE_PARALLELISM} operations at once; ` +
        `at ${WIDE_PARALLELISM}: N + ${adoptChangedWide.calls - N}, floor N + ${Math.ceil(N / WIDE_PARALLELISM)}: see README)`,
      adoptChanged.calls <= 1.1 * N,
    ],
    [
      `retire ${RETIRE_KEYS} keys with agents on a 300 calls/hour, 2-concurrent subscription: zero rejected, no agent stranded, ≤ 3 calls per retired key`,
      `${callsPerKey(retireCounted).toFixed(2)} calls per key (${retireCounted.calls} calls, ${retireCounted.rejected} rejected, ${retireCounted.stranded ?? 0} stranded); ` +
        `state from before the agents: ${callsPerKey(retireStale).toFixed(2)} (${retireStale.calls} calls, ${retireStale.rejected} rejected, ${retireStale.stranded ?? 0} stranded)`,
      retire.every((r) => r.rejected === 0 && r.failed === 0 && (r.stranded ?? 0) === 0 && callsPerKey(r) <= 3),
    ],
    [
      `rotate ${ROTATE_KEYS} keys with agents on a 300 calls/hour, 2-concurrent subscription: zero rejected, no agent stranded, one key per title, ≤ 5 calls per rotated key`,
      `${callsPerKey(rotate).toFixed(2)} calls per key (${rotate.calls} calls, ${rotate.rejected} rejected, ${rotate.failed} failed, ${rotate.stranded ?? 0} stranded)`,
      rotate.rejected === 0 && rotate.failed === 0 && (rotate.stranded ?? 0) === 0 && callsPerKey(rotate) <= 5,
    ],
  ];
  console.log("\nTargets");
  console.log("| target | measured | met |");
  console.log("|---|---|---|");
  for (const [target, measured, met] of rows) console.log(`| ${target} | ${measured} | ${met ? "yes" : "**no**"} |`);
  console.log(
    `\nProvider CPU per operation, information only (not a target): ${cpu.map((r) => `${r.phase} ${r.cpuMsPerOp.toFixed(2)} ms`).join("; ")} ` +
      `(create: median of ${runs.length}, runs ${createCpus.map((ms) => ms.toFixed(2)).join(", ")}; each in a fresh process, ` +
      "warm-up and V8's compiler threads included; where a call's CPU goes: see README)",
  );
}

/** Calls per key of a scenario D phase (retired keys) or of scenario E (rotated keys). */
export function callsPerKey(phase: PhaseResult): number {
  return phase.calls / (phase.phase === RETIRE_COUNTED ? RETIRE_KEYS : phase.phase === ROTATE ? ROTATE_KEYS : RETIRE_KEYS / 2);
}

/** The result of `phase` in one scenario run. */
export function phaseOf(run: readonly PhaseResult[], phase: string): PhaseResult {
  const found = run.find((r) => r.phase === phase);
  if (!found) throw new Error(`no "${phase}" phase in a scenario A run`);
  return found;
}

/** The middle item by `value` (the lower of the two middle ones for an even count). */
export function medianBy<T>(items: readonly T[], value: (item: T) => number): T {
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor((items.length - 1) / 2)]!;
}
