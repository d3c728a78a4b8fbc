/**
 * The order of one subscription's writes and reads in this process, so that no read is answered
 * with data older than our own last write to that key (issue 10: "after any write through the
 * provider, no read may be served from a snapshot taken before that write").
 *
 * Every read records the mark of the moment it was issued (`mark()`); every write is known to be
 * in flight from its start, and records the mark of its end. Data taken at mark `t` is fresh for
 * key `id` when no write of `id` is in flight and the last one ended before `t`: a call issued
 * after a write's answer arrived is processed after that write. A write that failed counts too — its answer may have been lost after
 * Qualys committed it (docs/qualys-api.md, "Rate and concurrency limits").
 *
 * Freshness is per key: create, update and delete each change exactly one key (QPS has no bulk
 * write), so a write to one key leaves what we know of the others as true as it was.
 */
import type { AgentActKeyApi } from "../types";

export class WriteJournal {
  private clock = 0;
  private readonly lastWrite = new Map<number, number>();
  private readonly writing = new Map<number, number>();
  private updates = 0;
  private readonly listeners: (() => void)[] = [];

  /** A new point in the order of events: data read by a call issued now was "taken" at it. */
  mark(): number {
    return ++this.clock;
  }

  /** Whether data of key `id` taken at `takenAt` reflects every write of ours to that key. */
  isFresh(id: number, takenAt: number): boolean {
    return !this.writing.has(id) && takenAt > (this.lastWrite.get(id) ?? 0);
  }

  /** Updates sent or queued and not yet answered: their read-backs are on their way. */
  get updatesInFlight(): number {
    return this.updates;
  }

  /** Calls `listener` after every write ends (answered or failed). */
  onWriteEnd(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Runs a write of the existing key `id` and records its start and end, whatever the outcome. */
  async track<T>(id: number, operation: "update" | "delete", write: () => Promise<T>): Promise<T> {
    this.writing.set(id, (this.writing.get(id) ?? 0) + 1);
    if (operation === "update") this.updates++;
    try {
      return await write();
    } finally {
      const left = (this.writing.get(id) ?? 1) - 1;
      if (left > 0) this.writing.set(id, left);
      else this.writing.delete(id);
      if (operation === "update") this.updates--;
      this.ended(id);
    }
  }

  /** Records that key `id` was just written (a create: its id is known only from the answer). */
  ended(id: number): void {
    this.lastWrite.set(id, this.mark());
    for (const listener of this.listeners) listener();
  }
}

/** `api` with every create, update and delete recorded in `journal`; reads pass through. */
export function journalWrites(api: AgentActKeyApi, journal: WriteJournal): AgentActKeyApi {
  return {
    ...api,
    async create(key) {
      // A create that failed has no id to record, and changed no key we could hold data of.
      const created = await api.create(key);
      journal.ended(created.id);
      return created;
    },
    update: (id, key) => journal.track(id, "update", () => api.update(id, key)),
    delete: (id) => journal.track(id, "delete", () => api.delete(id)),
  };
}
