/**
 * Faults queued by the admin API and applied to the next matching QPS calls, so client
 * tests can see the failures the real service and the proxies in front of it produce.
 */
import type { FaultSpec } from "./types";

/** The QPS operations the simulator serves: the five agentactkey ones and changeactkey. */
export type QpsOperation = NonNullable<FaultSpec["operation"]>;

export class FaultQueue {
  private pending: { spec: FaultSpec; remaining: number }[] = [];

  add(faults: readonly FaultSpec[]): void {
    for (const spec of faults) this.pending.push({ spec, remaining: spec.count ?? 1 });
  }

  clear(): void {
    this.pending = [];
  }

  /** Faults waiting to be applied. */
  get size(): number {
    return this.pending.length;
  }

  /** The first queued fault for `operation`, consuming one of its uses. */
  take(operation: QpsOperation): FaultSpec | undefined {
    const entry = this.pending.find((candidate) => !candidate.spec.operation || candidate.spec.operation === operation);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.pending.splice(this.pending.indexOf(entry), 1);
    return entry.spec;
  }
}

/** A fault answered before the call is processed (nothing is written). */
export type RefusingFault = FaultSpec & { kind: Exclude<FaultSpec["kind"], "slow" | "reset-after"> };

export function refusesBeforeProcessing(fault: FaultSpec | undefined): fault is RefusingFault {
  return fault !== undefined && fault.kind !== "slow" && fault.kind !== "reset-after";
}

/** The faults that imitate a limit block; the request log and call counts mark them as blocked. */
const BLOCK_FAULTS: ReadonlySet<FaultSpec["kind"]> = new Set(["rate-409", "rate-409-classic", "concurrency-409", "rate-429", "block-409-other-code"]);

export function isBlockFault(fault: FaultSpec): boolean {
  return BLOCK_FAULTS.has(fault.kind);
}

/** The HTML a proxy or load balancer sends instead of XML. */
export function htmlPage(status: number, title: string): string {
  return `<!DOCTYPE html>\n<html><head><title>${status} ${title}</title></head><body><h1>${status} ${title}</h1><hr><p>proxy</p></body></html>\n`;
}

/** A response cut off mid-element: HTTP 200 that no XML parser accepts. */
export const TRUNCATED_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ServiceResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n    <responseCode>SUCC';
