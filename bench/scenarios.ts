/** The bench's scenarios (see run-bench.ts): each starts its own simulator process. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createQualysClient } from "../provider/qualys/client";
import { LimitAwareScheduler } from "../provider/scheduling/request-scheduler";
import { naiveDriver, providerDriver, rotationDriver } from "./drivers";
import { measure, pool } from "./measure";
import {
  ADOPT_AS_IS,
  ADOPT_CHANGED,
  ADOPT_CHANGED_WIDE,
  CONCURRENCY,
  CREATE,
  declared,
  ENGINE_PARALLELISM,
  fleetKey,
  LATENCY_MS,
  N,
  NO_OP,
  RETIRE_AGENTS,
  RETIRE_COUNTED,
  RETIRE_KEYS,
  RETIRE_STALE,
  ROTATE,
  ROTATE_KEYS,
  ROTATE_PER_RUN,
  UPDATE,
  USER,
  WIDE_PARALLELISM,
} from "./settings";
import { startSimulatorProcess } from "./simulator-process";
import type { PhaseResult, Props } from "./types";

/** Scenario A: create, no-op up, refresh and destroy of N keys under 500 calls per 60 s. */
export async function scenarioA(mode: "pulumi-qualys" | "naive"): Promise<PhaseResult[]> {
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

/** Scenario B: a refresh of 500 existing keys on a 300 calls/hour subscription. */
export async function scenarioB(mode: "pulumi-qualys" | "naive"): Promise<PhaseResult> {
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
export async function scenarioC(mode: "pulumi-qualys" | "naive"): Promise<PhaseResult[]> {
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

/**
 * The scheduling layer alone, warm: the client with the limit-aware scheduler creating N keys from
 * 16 concurrent callers, after one warm-up call. It separates what the scheduler achieves from the
 * provider runtime's own work (input checks, outputs) and the process warm-up that the
 * "pulumi-qualys" rows include.
 */
export async function schedulerOnly(): Promise<PhaseResult> {
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

/**
 * Scenario D: retiring keys that agents use onto a successor, on a standard subscription (300
 * calls/hour), each phase on a subscription of its own: RETIRE_KEYS keys whose state counts their
 * agents (after a refresh), then half as many whose state predates them (the usual case: agents
 * enrol after a key is created). Naive: the first phase, reading the successor, moving and
 * deleting one key at a time.
 */
export async function scenarioD(mode: "pulumi-qualys" | "naive"): Promise<PhaseResult[]> {
  const results = [await retirePhase(mode, RETIRE_COUNTED, RETIRE_KEYS, true)];
  // Half the fleet: a provider that tried each delete first (3 calls a key) would still fit the hour.
  if (mode === "pulumi-qualys") results.push(await retirePhase(mode, RETIRE_STALE, RETIRE_KEYS / 2, false));
  return results;
}

async function retirePhase(mode: "pulumi-qualys" | "naive", phase: string, count: number, stateCountsAgents: boolean): Promise<PhaseResult> {
  const sim = await startSimulatorProcess(["--user", `${USER.username}:${USER.password}`, "--latency-ms", String(LATENCY_MS), "--concurrency", String(CONCURRENCY), "--rate-limit", "300/3600"]);
  try {
    const [successorId] = await sim.insertKeys(1, "successor");
    const ids = await sim.insertKeys(count, "retiring");
    for (const id of ids) await sim.attachAgents(id, RETIRE_AGENTS);
    const keys = new Map((await sim.keys()).map((key) => [key.id, key]));
    // The state `pulumi destroy` hands each delete: the outputs of the last refresh, or of the
    // create, before any agent enrolled.
    const stateOf = (id: number): Props => {
      const key = keys.get(id)!;
      const { title, type, modules, isDisabled, suspendSelfPatch, activationKey, status, datePurchased } = key;
      const countUsed = stateCountsAgents ? key.countUsed : 0;
      return { title, type, modules, tagIds: [], isDisabled, applyOnAgents: false, suspendSelfPatch, adopt: false, activationKey, status, countUsed, datePurchased, successorKeyId: successorId };
    };
    const driver = mode === "naive" ? naiveDriver(sim) : providerDriver(sim);
    const result = await measure(sim, phase, count, () => pool(ids, driver.parallelism, (id) => driver.retire(String(id), stateOf(id))));
    const after = await sim.keys();
    const onSuccessor = after.find((key) => key.id === successorId)?.countUsed ?? 0;
    return { ...result, stranded: count * RETIRE_AGENTS - onSuccessor + after.filter((key) => key.id !== successorId).length };
  } finally {
    sim.stop();
  }
}

/**
 * Scenario E: rotating keys that agents use (rotationTrigger), on a standard subscription (300
 * calls/hour, 2 concurrent), ROTATE_PER_RUN keys per run, each run on a fresh subscription hour.
 * One row: the calls of every run over ROTATE_KEYS keys; `stranded` counts agents not on the key
 * under their title, old keys left and titles held by other than exactly one key.
 */
export async function scenarioE(): Promise<PhaseResult[]> {
  const runs: PhaseResult[] = [];
  for (let run = 0; run < ROTATE_KEYS / ROTATE_PER_RUN; run++) runs.push(await rotatePhase(`rotate-${run}`));
  const sum = (pick: (r: PhaseResult) => number): number => runs.reduce((total, r) => total + pick(r), 0);
  const cpu = sum((r) => r.cpuMsPerOp) / runs.length;
  return [{ phase: ROTATE, calls: sum((r) => r.calls), rejected: sum((r) => r.rejected), failed: sum((r) => r.failed), wallMs: sum((r) => r.wallMs), cpuMsPerOp: cpu, stranded: sum((r) => r.stranded ?? 0) }];
}

async function rotatePhase(prefix: string): Promise<PhaseResult> {
  const sim = await startSimulatorProcess(["--user", `${USER.username}:${USER.password}`, "--latency-ms", String(LATENCY_MS), "--concurrency", String(CONCURRENCY), "--rate-limit", "300/3600"]);
  try {
    const ids = await sim.insertKeys(ROTATE_PER_RUN, prefix);
    for (const id of ids) await sim.attachAgents(id, RETIRE_AGENTS);
    const keys = new Map((await sim.keys()).map((key) => [key.id, key]));
    // The state of each key, deployed with rotationTrigger "2026" and refreshed since.
    const stateOf = (id: number): Props => {
      const { title, type, modules, isDisabled, suspendSelfPatch, activationKey, status, countUsed, datePurchased } = keys.get(id)!;
      return { title, type, modules, tagIds: [], isDisabled, applyOnAgents: false, suspendSelfPatch, adopt: false, rotationTrigger: "2026", activationKey, status, countUsed, datePurchased };
    };
    const driver = rotationDriver(sim);
    const result = await measure(sim, prefix, ROTATE_PER_RUN, async () => {
      const failedCreates = await pool(ids, ENGINE_PARALLELISM, async (id) => {
        const { title, modules } = keys.get(id)!;
        await driver.replace(String(id), stateOf(id), { title, type: "UNLIMITED", modules, rotationTrigger: "2027" });
      });
      return failedCreates + (await pool(ids, ENGINE_PARALLELISM, (id) => driver.deleteOld(String(id), stateOf(id))));
    });
    const after = await sim.keys();
    let stranded = 0;
    for (const id of ids) {
      const holders = after.filter((key) => key.title.startsWith(keys.get(id)!.title + " ") || key.title === keys.get(id)!.title);
      const rotated = holders.find((key) => key.title === keys.get(id)!.title && key.id !== id);
      stranded += RETIRE_AGENTS - (rotated?.countUsed ?? 0) + (holders.length === 1 && rotated ? 0 : 1);
    }
    return { ...result, stranded };
  } finally {
    sim.stop();
  }
}

/**
 * A pulumi-qualys scenario in a new Node process, as every `pulumi up` starts a new provider
 * process: each run pays the module loading and warm-up that a user's run pays, instead of
 * reusing the first run's.
 */
export async function scenarioInFreshProcess(scenario: "A" | "C" | "D" | "E"): Promise<PhaseResult[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, "run-bench.js")], { env: { ...process.env, [CHILD_RUN]: scenario } });
  return JSON.parse(stdout) as PhaseResult[];
}

/** Set in a child process: which scenario it runs. */
export const CHILD_RUN = "PULUMI_QUALYS_BENCH_CHILD_RUN";

/** The pulumi-qualys side of a scenario, in the child process scenarioInFreshProcess started: its results as JSON on stdout. */
export function childRun(scenario: string): Promise<void> {
  const run =
    scenario === "C" ? scenarioC("pulumi-qualys") : scenario === "D" ? scenarioD("pulumi-qualys") : scenario === "E" ? scenarioE() : scenarioA("pulumi-qualys");
  return run.then((results) => console.log(JSON.stringify(results)));
}
