/**
 * The simulator's record of calls (never credentials: only the username that authenticated) and
 * the per-operation counts tests assert on. Blocked calls are counted under `blocked` only.
 */
import type { RequestLogEntry } from "./types";

const COUNTED = ["create", "get", "update", "delete", "search", "auth", "blocked"] as const;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries = [];
  }

  /** e.g. {create: 3, get: 10, search: 1, update: 0, delete: 0, auth: 1, blocked: 2}. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = Object.fromEntries(COUNTED.map((name) => [name, 0]));
    for (const entry of this.entries) {
      const bucket = entry.blocked ? "blocked" : entry.operation;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    return counts;
  }
}
