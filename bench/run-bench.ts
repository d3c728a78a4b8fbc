/**
 * `npm run bench`: how gentle and how fast the provider is against a rate- and concurrency-limited
 * subscription, next to a naive client. Prints tables; asserts nothing (targets are read, not
 * timed in tests).
 *
 * Scenario A (issue 4): N = 200 keys, simulator latency 20 ms, 2 concurrent calls, 500 calls per
 * 60 s. Phases as `pulumi` drives them: create (up), no-op up (check + diff), refresh (read),
 * destroy (delete). "pulumi-qualys" runs the real provider runtime with engine-like parallelism
 * (16 resources at once); "naive" sends one call at a time with no limit awareness and refreshes
 * with one get per key. Targets: zero rejected calls after the first response; create wall time
 * ≤ 1.2 × ideal (N × latency / concurrency); no-op up makes zero calls.
 *
 * Scenario B (issue 5): refreshing 500 existing keys on a standard subscription (300 calls/hour).
 * Target: ≤ 3 API calls.
 *
 * Scenario C (issue 12): N existing keys taken over and changed fleet-wide, latency 20 ms, 2
 * concurrent calls, no rate limit (scenario A covers it), engine-like parallelism 16, in a fresh
 * process: adopt N keys as they are, adopt N more that each need one more module, then give those
 * one more module each (the fleet-wide update); last, N more changed adopts with the engine running
 * 64 operations at once, which shows the read-back floor N + ⌈N / P⌉ move. "naive" adopts with a title search, an update and
 * a get per key, and updates with an update and a get per key. Targets: update ≤ 1.1 × N calls,
 * adopt ≤ N + 6 calls (keys taken over as they are; one that also needs a change is held to the
 * update's target), zero rejected; provider CPU ≤ 2 ms per create, update and delete.
 *
 * A last table states each target and whether it was met. BENCH_KEYS and BENCH_RUNS (default 200
 * and 3) change the size and the number of pulumi-qualys runs of scenario A.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import * as runtime from "../provider/dynamic/provider-runtime";
import { createQualysClient } from "../provider/qualys/client";
import { LimitAwareScheduler } from "../provider/scheduling/request-scheduler";
import { startSimulatorProcess, type SimulatorProcess } from "./simulator-process";

const N = Number(process.env.BENCH_KEYS ?? 200);
/**
 * Scenario A runs of pulumi-qualys, each in a fresh process; the create target is judged on their
 * median (one run is noisy).
 */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const LATENCY_MS = 20;
/** Phase names of scenario A that the targets read. */
const CREATE = "create (up)";
const NO_OP = "no-op up";
const DESTROY = "destroy";
/** Phase names of scenario C that the targets read. */
const ADOPT_AS_IS = "adopt N keys as declared";
const ADOPT_CHANGED = "adopt N keys, each changed";
/** Engine parallelism of the last scenario C phase: what the changed adopt costs when the engine runs more at once. */
const WIDE_PARALLELISM = 64;
const ADOPT_CHANGED_WIDE = `adopt N keys, each changed, ${WIDE_PARALLELISM} operations at once`;
const UPDATE = "update: one more module each";
const CONCURRENCY = 2;
const ENGINE_PARALLELISM = 16;
const USER = { username: "bench", password: "bench-password" }; // simulator-only user

type Props = Record<string, unknown>;

/** agentactkey calls the simulator counts (blocked ones under "blocked"); /auth is not limited. */
const COUNTED_CALLS = ["create", "get", "update", "delete", "search", "blocked"];

interface PhaseResult {
  phase: string;
  calls: number;
  rejected: number;
  failed: number;
  wallMs: number;
  cpuMsPerOp: number;
  /** The part of `cpuMsPerOp` spent on the main thread (Linux only); the rest is V8's own threads. */
  mainThreadMsPerOp?: number;
}

interface Driver {
  create(i: number): Promise<{ id: string; outs: Props }>;
  noop(id: string, outs: Props, i: number): Promise<void>;
  read(id: string, outs: Props): Promise<void>;
  destroy(id: string): Promise<void>;
  /** Takes over the existing key titled `declaration.title` (`adopt: true`) and makes it the declaration. */
  adopt(declaration: Props): Promise<{ id: string; outs: Props }>;
  /** Changes key `id` from `outs` (its state) to `declaration`. */
  update(id: string, outs: Props, declaration: Props): Promise<Props>;
  /** How many operations run at once. */
  parallelism: number;
}

function declared(i: number): Props {
  return { title: `bench-${i}`, type: "COUNT_LIMITED", countPurchased: 10 + i, modules: ["VM_LICENSE", "PC_LICENSE"], tagIds: [] };
}

/** Scenario C's keys: UNLIMITED, titled `prefix-i`, with `modules`. */
function fleetKey(prefix: string, i: number, modules: string[]): Props {
  return { title: `${prefix}-${i}`, type: "UNLIMITED", modules, tagIds: [] };
}

/** The real provider code path, configured as the engine would. */
function providerDriver(sim: SimulatorProcess): Driver {
  void runtime.configure({ config: { get: (key) => ({ "qualys:apiUrl": sim.url, "qualys:username": USER.username, "qualys:password": USER.password })[key] } });
  return {
    parallelism: ENGINE_PARALLELISM,
    create: async (i) => {
      const { inputs } = await runtime.check({}, declared(i));
      const { id, outs } = await runtime.create(inputs);
      return { id, outs: outs as unknown as Props };
    },
    noop: async (id, outs, i) => {
      const { inputs } = await runtime.check(outs, declared(i));
      const diff = await runtime.diff(id, outs, inputs);
      if (diff.changes) throw new Error(`no-op up found a change on key ${id}`);
    },
    read: async (id, outs) => void (await runtime.read(id, outs)),
    destroy: (id) => runtime.remove(id),
    adopt: async (declaration) => {
      const { inputs } = await runtime.check({}, { ...declaration, adopt: true });
      const { id, outs } = await runtime.create(inputs);
      return { id, outs: outs as unknown as Props };
    },
    update: async (id, outs, declaration) => {
      const { inputs } = await runtime.check(outs, { ...declaration, adopt: true });
      return (await runtime.update(id, outs, inputs)).outs as unknown as Props;
    },
  };
}

/** One call at a time, no limit awareness, one get per key on refresh. */
function naiveDriver(sim: SimulatorProcess): Driver {
  const api = createQualysClient({ apiUrl: sim.url, ...USER });
  return {
    parallelism: 1,
    create: async (i) => {
      const d = declared(i);
      const key = await api.create({ title: String(d.title), type: "COUNT_LIMITED", countPurchased: Number(d.countPurchased), modules: d.modules as string[] });
      return { id: String(key.id), outs: {} };
    },
    noop: async (id) => void (await api.get(Number(id))),
    read: async (id) => void (await api.get(Number(id))),
    destroy: (id) => api.delete(Number(id)),
    adopt: async (declaration) => {
      const title = String(declaration.title);
      const [found] = await api.searchAll([{ field: "title", operator: "EQUALS", value: title }]);
      if (!found) throw new Error(`naive adopt: no key titled ${title}`);
      await api.update(found.id, { title, type: "UNLIMITED", modules: declaration.modules as string[] });
      return { id: String(found.id), outs: { ...(await api.get(found.id)) } };
    },
    update: async (id, _outs, declaration) => {
      await api.update(Number(id), { title: String(declaration.title), type: "UNLIMITED", modules: declaration.modules as string[] });
      return { ...(await api.get(Number(id))) };
    },
  };
}

async function pool<T>(items: readonly T[], parallelism: number, work: (item: T) => Promise<void>): Promise<number> {
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

async function measure(sim: SimulatorProcess, phase: string, ops: number, run: () => Promise<number>): Promise<PhaseResult> {
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

async function scenarioA(mode: "pulumi-qualys" | "naive"): Promise<PhaseResult[]> {
  const sim = await startSimulatorProcess(["--user", `${USER.username}:${USER.password}`, "--latency-ms", String(LATENCY_MS), "--concurrency", String(CONCURRENCY), "--rate-limit", "500/60"]);
  try {
    const driver = mode === "naive" ? naiveDriver(sim) : providerDriver(sim);
    const indices = Array.from({ length: N }, (_, i) => i);
    const state: { id: string; outs: Props; i: number }[] = [];
    const results: PhaseResult[] = [];
    results.push(await measure(sim, CREATE, N, () => pool(indices, driver.parallelism, async (i) => void state.push({ ...(await driver.create(i)), i }))));
    results.push(await measure(sim, mode === "naive" ? "no-op up (get each)" : NO_OP, N, () => pool(state, driver.parallelism, (e) => driver.noop(e.id, e.outs, e.i))));
    results.push(await measure(sim, "refresh", N, () => pool(state, driver.parallelism, (e) => driver.read(e.id, e.outs))));
    results.push(await measure(sim, "destroy", N, () => pool(state, driver.parallelism, (e) => driver.destroy(e.id))));
    return results;
  } finally {
    sim.stop();
  }
}

async function scenarioB(mode: "pulumi-qualys" | "naive"): Promise<PhaseResult> {
  const sim = await startSimulatorProcess(["--user", `${USER.username}:${USER.password}`, "--latency-ms", String(LATENCY_MS), "--concurrency", String(CONCURRENCY), "--rate-limit", "300/3600"]);
  try {
    const ids = await sim.insertKeys(500, `existing-${mode}`);
    const driver = mode === "naive" ? naiveDriver(sim) : providerDriver(sim);
    return await measure(sim, "refresh 500 keys", 500, () => pool(ids, driver.parallelism, (id) => driver.read(String(id), {})));
  } finally {
    sim.stop();
  }
}

/**
 * Scenario C: a fleet of N existing keys adopted as they are, N more adopted with one more module
 * each, then those given one more module each, then N more adopted with a change at engine
 * parallelism 64. pulumi-qualys runs the phases in one process, so the later adopts reuse the
 * listing the first one loaded. Naive: the changed adopt and the update.
 */
async function scenarioC(mode: "pulumi-qualys" | "naive"): Promise<PhaseResult[]> {
  const sim = await startSimulatorProcess(["--user", `${USER.username}:${USER.password}`, "--latency-ms", String(LATENCY_MS), "--concurrency", String(CONCURRENCY)]);
  try {
    const indices = Array.from({ length: N }, (_, i) => i);
    await sim.insertKeys(N, "as-is", ["VM_LICENSE"]);
    await sim.insertKeys(N, "fleet", ["VM_LICENSE"]);
    if (mode === "pulumi-qualys") await sim.insertKeys(N, "wide", ["VM_LICENSE"]);
    const driver = mode === "naive" ? naiveDriver(sim) : providerDriver(sim);
    const results: PhaseResult[] = [];
    if (mode === "pulumi-qualys") {
      results.push(await measure(sim, ADOPT_AS_IS, N, () => pool(indices, driver.parallelism, async (i) => void (await driver.adopt(fleetKey("as-is", i, ["VM_LICENSE"]))))));
    }
    const fleet: { id: string; outs: Props; i: number }[] = [];
    results.push(
      await measure(sim, ADOPT_CHANGED, N, () =>
        pool(indices, driver.parallelism, async (i) => void fleet.push({ ...(await driver.adopt(fleetKey("fleet", i, ["VM_LICENSE", "PC_LICENSE"]))), i })),
      ),
    );
    results.push(await measure(sim, UPDATE, N, () => pool(fleet, driver.parallelism, async (e) => void (await driver.update(e.id, e.outs, fleetKey("fleet", e.i, ["VM_LICENSE", "PC_LICENSE", "SCA"]))))));
    if (mode === "pulumi-qualys") {
      results.push(await measure(sim, ADOPT_CHANGED_WIDE, N, () => pool(indices, WIDE_PARALLELISM, async (i) => void (await driver.adopt(fleetKey("wide", i, ["VM_LICENSE", "PC_LICENSE"]))))));
    }
    return results;
  } finally {
    sim.stop();
  }
}

function table(title: string, rows: (PhaseResult & { mode: string })[], ideal?: number): void {
  console.log(`\n${title}`);
  console.log("| mode | phase | API calls | rejected (409) | failed ops | wall ms | vs ideal | provider CPU ms/op | of which main thread |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const vsIdeal = ideal !== undefined && (r.phase.startsWith("create") || r.phase === UPDATE) ? `${(r.wallMs / ideal).toFixed(2)} ×` : "";
    const mainThread = r.mainThreadMsPerOp === undefined ? "" : r.mainThreadMsPerOp.toFixed(2);
    console.log(`| ${r.mode} | ${r.phase} | ${r.calls} | ${r.rejected} | ${r.failed} | ${r.wallMs.toFixed(0)} | ${vsIdeal} | ${r.cpuMsPerOp.toFixed(2)} | ${mainThread} |`);
  }
}

/**
 * The scheduling layer alone, warm: the client with the limit-aware scheduler creating N keys from
 * 16 concurrent callers, after one warm-up call. It separates what the scheduler achieves from the
 * provider runtime's own work (input checks, outputs) and the process warm-up that the
 * "pulumi-qualys" rows include.
 */
async function schedulerOnly(): Promise<PhaseResult> {
  const sim = await startSimulatorProcess(["--user", `${USER.username}:${USER.password}`, "--latency-ms", String(LATENCY_MS), "--concurrency", String(CONCURRENCY), "--rate-limit", "500/60"]);
  try {
    const api = createQualysClient({ apiUrl: sim.url, ...USER, scheduler: new LimitAwareScheduler() });
    await api.create({ title: "warm-up", type: "UNLIMITED" });
    const indices = Array.from({ length: N }, (_, i) => i);
    return await measure(sim, "create, client + scheduler only (warm)", N, () =>
      pool(indices, ENGINE_PARALLELISM, async (i) => {
        const d = declared(i);
        await api.create({ title: String(d.title), type: "COUNT_LIMITED", countPurchased: Number(d.countPurchased), modules: d.modules as string[] });
      }),
    );
  } finally {
    sim.stop();
  }
}

async function main(): Promise<void> {
  const ideal = (N * LATENCY_MS) / CONCURRENCY;
  const runs: PhaseResult[][] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await scenarioInFreshProcess("A"));
  // The table shows the run whose create time is the median, next to the other rows.
  const ours = [...medianBy(runs, (run) => phaseOf(run, CREATE).wallMs), await schedulerOnly()];
  const naive = await scenarioA("naive");
  table(
    `Scenario A: ${N} keys, latency ${LATENCY_MS} ms, ${CONCURRENCY} concurrent calls, 500 calls/60 s; ideal create wall time ${ideal} ms` +
      (RUNS > 1 ? ` (pulumi-qualys: the median of ${RUNS} runs)` : ""),
    [...ours.map((r) => ({ ...r, mode: "pulumi-qualys" })), ...naive.map((r) => ({ ...r, mode: "naive" }))],
    ideal,
  );
  const naiveCreate = naive[0]!;
  const overheadMs = naiveCreate.wallMs / N - LATENCY_MS;
  console.log(
    `\nPer-call overhead beyond the simulated latency (naive, one call at a time): ${overheadMs.toFixed(1)} ms ` +
      `(the client's own work: the simulator's latency already includes its processing). With it, the best create wall time at ` +
      `${CONCURRENCY} concurrent calls is about ${((N * (LATENCY_MS + overheadMs)) / CONCURRENCY).toFixed(0)} ms ` +
      `= ${((LATENCY_MS + overheadMs) / LATENCY_MS).toFixed(2)} × ideal.`,
  );
  const refreshOurs = await scenarioB("pulumi-qualys");
  const refreshNaive = await scenarioB("naive");
  table("Scenario B: refresh of 500 existing keys, 300 calls/hour subscription (target ≤ 3 calls)", [
    { ...refreshOurs, mode: "pulumi-qualys" },
    { ...refreshNaive, mode: "naive" },
  ]);
  const fleetOurs = await scenarioInFreshProcess("C");
  const fleetNaive = await scenarioC("naive");
  table(
    `Scenario C: ${N} existing keys, latency ${LATENCY_MS} ms, ${CONCURRENCY} concurrent calls, engine parallelism ${ENGINE_PARALLELISM} unless the phase says otherwise; ideal update wall time ${ideal} ms (N calls)` +
      " (pulumi-qualys: one process, so the changed adopts reuse the listing the first adopt loaded)",
    [...fleetOurs.map((r) => ({ ...r, mode: "pulumi-qualys" })), ...fleetNaive.map((r) => ({ ...r, mode: "naive" }))],
    ideal,
  );
  targets(runs, ideal, refreshOurs, fleetOurs);
}

/** The targets of issues 4, 5 and 12, each with what pulumi-qualys measured over every run. */
function targets(runs: PhaseResult[][], ideal: number, refresh: PhaseResult, fleet: PhaseResult[]): void {
  const rejected = Math.max(...[...runs.flat(), ...fleet].map((r) => r.rejected));
  const createRatios = runs.map((run) => phaseOf(run, CREATE).wallMs / ideal);
  const medianRatio = medianBy(createRatios, (ratio) => ratio);
  const noopCalls = Math.max(...runs.map((run) => phaseOf(run, NO_OP).calls));
  const median = medianBy(runs, (run) => phaseOf(run, CREATE).wallMs);
  const update = phaseOf(fleet, UPDATE);
  const adoptAsIs = phaseOf(fleet, ADOPT_AS_IS);
  const adoptChanged = phaseOf(fleet, ADOPT_CHANGED);
  const adoptChangedWide = phaseOf(fleet, ADOPT_CHANGED_WIDE);
  // Create's CPU, like its wall time, is judged on the median of the runs: one fresh process
  // varies by ±0.15 ms a key on this VM.
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
      `provider CPU ≤ 2 ms per create, update and delete (create: median of ${runs.length})`,
      `${cpu.map((r) => `${r.phase} ${r.cpuMsPerOp.toFixed(2)}`).join("; ")} (create runs: ${createCpus.map((ms) => ms.toFixed(2)).join(", ")}; each in a fresh process, ` +
        "warm-up and V8's compiler threads included; where a call's CPU goes: see README)",
      cpu.every((r) => r.cpuMsPerOp <= 2),
    ],
  ];
  console.log("\nTargets");
  console.log("| target | measured | met |");
  console.log("|---|---|---|");
  for (const [target, measured, met] of rows) console.log(`| ${target} | ${measured} | ${met ? "yes" : "**no**"} |`);
}

function phaseOf(run: readonly PhaseResult[], phase: string): PhaseResult {
  const found = run.find((r) => r.phase === phase);
  if (!found) throw new Error(`no "${phase}" phase in a scenario A run`);
  return found;
}

/** The middle item by `value` (the lower of the two middle ones for an even count). */
function medianBy<T>(items: readonly T[], value: (item: T) => number): T {
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor((items.length - 1) / 2)]!;
}

/**
 * A pulumi-qualys scenario in a new Node process, as every `pulumi up` starts a new provider
 * process: each run pays the module loading and warm-up that a user's run pays, instead of
 * reusing the first run's.
 */
async function scenarioInFreshProcess(scenario: "A" | "C"): Promise<PhaseResult[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [__filename], { env: { ...process.env, [CHILD_RUN]: scenario } });
  return JSON.parse(stdout) as PhaseResult[];
}

const CHILD_RUN = "PULUMI_QUALYS_BENCH_CHILD_RUN";

function childRun(scenario: string): Promise<void> {
  const run = scenario === "C" ? scenarioC("pulumi-qualys") : scenarioA("pulumi-qualys");
  return run.then((results) => console.log(JSON.stringify(results)));
}

(process.env[CHILD_RUN] ? childRun(process.env[CHILD_RUN]) : main()).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
