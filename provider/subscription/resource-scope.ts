/**
 * The resource an operation is running for, so that every line logged on its behalf (a wait for
 * the rate limit deep inside the scheduler, a retry, a check warning) is attached to that
 * resource's row in `pulumi up` (the engine's Log RPC takes a URN; issue 9). An adapter that
 * knows the URN (the plugin: every request carries it) runs the core operation inside
 * `withResource`; the scheduler and client need no URN parameter because AsyncLocalStorage
 * follows the operation's promise chain, queued waits included.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const scope = new AsyncLocalStorage<string | undefined>();

/** Runs `operation` with `urn` as the current resource (none: lines are not attached). */
export function withResource<T>(urn: string | undefined, operation: () => Promise<T>): Promise<T> {
  return scope.run(urn || undefined, operation);
}

/** The URN of the resource the current operation runs for, when the adapter gave one. */
export function currentResourceUrn(): string | undefined {
  return scope.getStore();
}
