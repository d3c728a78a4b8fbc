/**
 * One set of limits per subscription (API URL + user) for the whole provider process. The serialized
 * provider loads this package by name, so module-level state here is shared by every resource the
 * one dynamic-provider host of a program serves (docs/pulumi-dynamic-providers.md, rule 1): the
 * engine's dozens of concurrent calls all queue at the same gate and honour the same block.
 *
 * The caps are each configuration's own: two provider configurations of one subscription (two
 * explicit providers, or a reconfigured one) with different qualys:maxWaitSec or
 * qualys:retryDeadlineSec share the gate and the block, and each one's operations wait at most as
 * long as that configuration says. Before, the second configuration's values were silently ignored.
 */
import type { QualysLogger, RequestScheduler, SchedulerOptions } from "../qualys/types";
import { LimitAwareScheduler, SubscriptionLimits } from "./request-scheduler";

interface Subscription {
  limits: SubscriptionLimits;
  /** One scheduler per distinct set of caps and logger, so a configuration asking twice gets the same one. */
  schedulers: { maxWaitSec?: number; retryDeadlineSec?: number; logger?: QualysLogger; scheduler: RequestScheduler }[];
}

const subscriptions = new Map<string, Subscription>();

/**
 * The scheduler of one configuration of `subscriptionKey`: the subscription's shared limits, with
 * this configuration's `options` (maxWaitSec, retryDeadlineSec, logger).
 */
export function schedulerFor(subscriptionKey: string, options: SchedulerOptions = {}): RequestScheduler {
  let subscription = subscriptions.get(subscriptionKey);
  if (!subscription) {
    subscription = { limits: new SubscriptionLimits(options.initialConcurrency ?? 1), schedulers: [] };
    subscriptions.set(subscriptionKey, subscription);
  }
  const same = subscription.schedulers.find(
    (s) => s.maxWaitSec === options.maxWaitSec && s.retryDeadlineSec === options.retryDeadlineSec && s.logger === options.logger,
  );
  if (same) return same.scheduler;
  const scheduler = new LimitAwareScheduler(options, subscription.limits);
  subscription.schedulers.push({ maxWaitSec: options.maxWaitSec, retryDeadlineSec: options.retryDeadlineSec, logger: options.logger, scheduler });
  return scheduler;
}

/**
 * Forgets `scheduler` (a configuration the caller no longer keeps), and the subscription's shared
 * limits with its last scheduler, so a process that saw thousands of configurations keeps only
 * those still in use (subscription-registry.ts bounds them).
 */
export function releaseScheduler(subscriptionKey: string, scheduler: RequestScheduler): void {
  const subscription = subscriptions.get(subscriptionKey);
  if (!subscription) return;
  subscription.schedulers = subscription.schedulers.filter((s) => s.scheduler !== scheduler);
  if (subscription.schedulers.length === 0) subscriptions.delete(subscriptionKey);
}

/** How many subscriptions the process holds limits for. */
export function subscriptionCount(): number {
  return subscriptions.size;
}
