/** Lifecycle-core test helpers: a context whose calls a ScriptedScheduler releases, declarations, an engine-like pool. */
import type { LifecycleContext } from "../../provider/activation-key/context";
import type { ActivationKeyInputs } from "../../provider/activation-key/properties";
import { createQualysClient } from "../../provider/qualys/client";
import { lifecycleContext } from "../../provider/subscription/subscription-registry";
import type { RunningSimulator } from "../../simulator/types";
import type { ScriptedScheduler } from "./scripted-scheduler";

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined };

/** A lifecycle context on the simulator (its default admin user) whose calls go out only when `scheduler` lets them. */
export function scriptedContext(sim: RunningSimulator, scheduler: ScriptedScheduler): LifecycleContext {
  return lifecycleContext(createQualysClient({ apiUrl: sim.url, username: "admin", password: "admin-password", scheduler }), silent);
}

/** Checked inputs of an UNLIMITED key `title` with `modules`, as `check` would return them. */
export function declared(title: string, modules: string[], extra: Partial<ActivationKeyInputs> = {}): ActivationKeyInputs {
  return { title, type: "UNLIMITED", modules: [...modules].sort(), tagIds: [], isDisabled: false, applyOnAgents: false, suspendSelfPatch: false, adopt: false, ...extra };
}

/** Runs `work` over `items`, at most `parallelism` at once, as the engine runs resource operations. */
export async function pool<T, R>(items: readonly T[], parallelism: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallelism }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/** How many times `operation` occurs in `operations`. */
export function countOf(operations: readonly string[], operation: string): number {
  return operations.filter((o) => o === operation).length;
}
