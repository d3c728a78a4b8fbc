/**
 * Coalesced read-backs: the key as Qualys holds it right after our own write, for many keys in one
 * search instead of one `get` each.
 *
 * Why: an update answer omits `modules` (the Cloud Agent API guide's update sample), so every
 * update is read back — and with one `get` each, a fleet-wide change costs two calls per key out of
 * a budget of typically 300 an hour (docs/qualys-api.md, "Rate and concurrency limits"; issue 12).
 *
 * How:
 * - A read-back waits while updates are still sent or queued (`WriteJournal.updatesInFlight`):
 *   their read-backs will join it. Once none is, the waiting read-backs go out as one search by
 *   `id IN (...)`, at most 1000 ids per search (the largest page).
 * - Never older than its own write: a read-back joins only a search issued after its write was
 *   answered. A search already issued — queued or on the wire — is never joined, since Qualys may
 *   process it before the write.
 * - Disabled keys: search hides them unless a criterion names `isDisabled` (same doc, "Search and
 *   paging"), so each search names it, with the value the write just set; a key that moves the
 *   other way meanwhile is simply not returned.
 * - A key the search does not return (disabled or enabled behind our back, out of scope, a server
 *   that ignores `IN`) and every key of a search that failed is read with `get`, so "gone" is only
 *   reported after the server said so for that key.
 */
import type { AgentActKey, AgentActKeyApi } from "../types";
import { MAX_SEARCH_PAGE } from "../wire/xml-requests";
import type { WriteJournal } from "./write-journal";

interface Waiter {
  id: number;
  resolve(key: AgentActKey): void;
  reject(error: unknown): void;
}

/** Where every key read back goes, with the mark it was taken at (the bulk reader's cache). */
type ReadBackSink = (key: AgentActKey, takenAt: number) => void;

export class ReadBackBatcher {
  /** Waiting read-backs by the isDisabled value their write set. */
  private readonly waiting = new Map<boolean, Waiter[]>([
    [false, []],
    [true, []],
  ]);
  private checkQueued = false;

  constructor(
    private readonly api: AgentActKeyApi,
    private readonly journal: WriteJournal,
    private readonly sink: ReadBackSink,
  ) {
    journal.onWriteEnd(() => this.queueCheck());
  }

  /** The key `id` as Qualys holds it after our write, which set its isDisabled to `isDisabled`. */
  readBack(id: number, isDisabled: boolean): Promise<AgentActKey> {
    return new Promise((resolve, reject) => {
      this.waiting.get(isDisabled)!.push({ id, resolve, reject });
      this.queueCheck();
    });
  }

  /**
   * Checks on the next turn of the event loop, not now: the caller whose update just ended reads
   * back in the microtasks that follow, and must be in the batch its own update completes.
   */
  private queueCheck(): void {
    if (this.checkQueued) return;
    this.checkQueued = true;
    setImmediate(() => {
      this.checkQueued = false;
      this.sendReady();
    });
  }

  private sendReady(): void {
    for (const [isDisabled, waiters] of this.waiting) {
      const full = waiters.length >= MAX_SEARCH_PAGE;
      if (waiters.length === 0 || (this.journal.updatesInFlight > 0 && !full)) continue;
      while (waiters.length > 0) void this.search(waiters.splice(0, MAX_SEARCH_PAGE), isDisabled);
    }
  }

  private async search(batch: Waiter[], isDisabled: boolean): Promise<void> {
    const takenAt = this.journal.mark();
    const found = new Map<number, AgentActKey>();
    try {
      const page = await this.api.searchPage(
        [
          { field: "id", operator: "IN", value: batch.map((w) => w.id).join(",") },
          { field: "isDisabled", operator: "EQUALS", value: String(isDisabled) },
        ],
        MAX_SEARCH_PAGE,
      );
      for (const key of page.keys) found.set(key.id, key);
    } catch {
      // Every key of the batch is read with get below, and fails there with its own error.
    }
    for (const waiter of batch) {
      const key = found.get(waiter.id);
      if (key) {
        this.sink(key, takenAt);
        waiter.resolve(key);
      } else {
        void this.get(waiter);
      }
    }
  }

  private async get(waiter: Waiter): Promise<void> {
    const takenAt = this.journal.mark();
    try {
      const key = await this.api.get(waiter.id);
      this.sink(key, takenAt);
      waiter.resolve(key);
    } catch (error) {
      waiter.reject(error);
    }
  }
}
