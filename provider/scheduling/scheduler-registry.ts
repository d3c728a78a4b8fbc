/**
 * One scheduler per subscription (API URL + user) for the whole provider process. The serialized
 * provider loads this package by name, so module-level state here is shared by every resource the
 * host serves (docs/pulumi-dynamic-providers.md, rule 1): the engine's dozens of concurrent
 * calls all queue at the same gate and honour the same block.
 */
import type { RequestScheduler, SchedulerOptions } from "../qualys/types";
import { LimitAwareScheduler } from "./request-scheduler";

const schedulers = new Map<string, RequestScheduler>();

/** The scheduler of `subscriptionKey`; `options` apply when it is first created. */
export function schedulerFor(subscriptionKey: string, options?: SchedulerOptions): RequestScheduler {
  let scheduler = schedulers.get(subscriptionKey);
  if (!scheduler) {
    scheduler = new LimitAwareScheduler(options);
    schedulers.set(subscriptionKey, scheduler);
  }
  return scheduler;
}
