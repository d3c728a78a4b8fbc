/**
 * The simulator's record of calls (never credentials: only the username that authenticated) and
 * the per-operation counts tests assert on. Blocked calls are counted under `blocked` only.
 *
 * The log is a ring: it keeps the most recent `capacity` calls (default 10000, a few MB at most)
 * and drops the oldest, so a simulator left running on a laptop under a client loop cannot grow
 * without bound. The counts are kept apart from the ring and stay exact however many calls age out.
 */
import type { RequestLogEntry } from "./types";

const COUNTED = ["create", "get", "update", "delete", "search", "changeactkey", "auth", "blocked"] as const;

/** Calls kept when `requestLogSize` is not set. */
export const DEFAULT_REQUEST_LOG_SIZE = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  /** Where the next entry goes once the ring is full. */
  private next = 0;
  private tally = new Map<string, number>();

  constructor(private readonly capacity = DEFAULT_REQUEST_LOG_SIZE) {}

  record(entry: RequestLogEntry): void {
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    const bucket = entry.blocked ? "blocked" : entry.operation;
    this.tally.set(bucket, (this.tally.get(bucket) ?? 0) + 1);
  }

  /** The kept calls, oldest first. */
  list(): RequestLogEntry[] {
    const ordered = this.entries.length < this.capacity ? this.entries : [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
    return ordered.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries = [];
    this.next = 0;
    this.tally.clear();
  }

  /** e.g. {create: 3, get: 10, search: 1, update: 0, delete: 0, changeactkey: 0, auth: 1, blocked: 2}. */
  counts(): Record<string, number> {
    return { ...Object.fromEntries(COUNTED.map((name) => [name, 0])), ...Object.fromEntries(this.tally) };
  }
}
