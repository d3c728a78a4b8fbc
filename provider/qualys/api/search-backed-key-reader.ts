/**
 * Cheap reads: serves the reads of one provider process from paged searches instead of one `get`
 * per key, and never with data older than the process's own last write to the key.
 *
 * Why: a subscription typically allows 300 calls per hour (docs/qualys-api.md,
 * "Rate and concurrency limits"), so a `pulumi refresh` of 500 keys done with one get each cannot
 * even finish within the hour, and a fleet-wide update read back with one get per key costs
 * twice its floor. A search returns up to 1000 keys per call.
 *
 * How:
 * - The first read of the process loads a snapshot: one paged search of the enabled keys and one of
 *   the disabled keys (search hides disabled keys unless asked), each capped at `maxSnapshotPages`
 *   pages so a very large subscription costs a bounded number of calls. The same snapshot answers
 *   `findByTitle`, so adopting N keys lists the subscription once, not once per key.
 * - Every key we hold carries the mark of the moment its data was asked for (write-journal.ts). A
 *   read is answered from it only if no write of ours to that key has started since; otherwise,
 *   or when we hold nothing (deleted, out of scope, beyond the page cap, created by someone else
 *   later), the key is fetched with `get`, so "gone" is only ever reported after the server said so.
 * - Read-backs after our own writes (`readAfterWrite`) are coalesced into searches by id
 *   (read-back-batcher.ts); what they return is kept for later reads.
 * - The dynamic-provider host lives for one engine operation (docs/pulumi-dynamic-providers.md
 *   "Who calls what"), and the snapshot is reloaded once it is `ttlMs` old, so changes made by
 *   others show up in a long-lived process too.
 */
import { QualysNotFoundError } from "../errors";
import { ReadBackBatcher } from "./read-back-batcher";
import { searchIncludingDisabled } from "./search-including-disabled";
import { WriteJournal } from "./write-journal";
import type { AgentActKey, AgentActKeyApi, Clock } from "../types";

interface SearchBackedKeyReaderOptions {
  /** Pages (of up to 1000 keys) loaded per snapshot search. Default 3. */
  maxSnapshotPages?: number;
  /** How long a snapshot is trusted, ms. Default 60 s: a refresh reads its keys within seconds. */
  ttlMs?: number;
  clock?: Pick<Clock, "now">;
  /**
   * The writes of this subscription (give the one `journalWrites` records into). Default: a
   * journal of its own, which sees no write.
   */
  journal?: WriteJournal;
}

interface Entry {
  key: AgentActKey;
  /** WriteJournal mark of the moment the call that returned `key` was issued. */
  takenAt: number;
}

export class SearchBackedKeyReader {
  private readonly maxSnapshotPages: number;
  private readonly ttlMs: number;
  private readonly clock: Pick<Clock, "now">;
  private readonly journal: WriteJournal;
  private readonly readBacks: ReadBackBatcher;
  private readonly entries = new Map<number, Entry>();
  /** The current snapshot load; resolves to the clock time it started. */
  private snapshot?: Promise<number>;

  constructor(
    private readonly api: AgentActKeyApi,
    options: SearchBackedKeyReaderOptions = {},
  ) {
    this.maxSnapshotPages = options.maxSnapshotPages ?? 3;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.clock = options.clock ?? Date;
    this.journal = options.journal ?? new WriteJournal();
    this.readBacks = new ReadBackBatcher(api, this.journal, (key, takenAt) => this.keep(key, takenAt));
  }

  /** The key as the server has it now, or `undefined` when the server says it does not exist. */
  async read(id: number): Promise<AgentActKey | undefined> {
    await this.currentSnapshot();
    const entry = this.entries.get(id);
    if (entry && this.journal.isFresh(id, entry.takenAt)) return entry.key;
    const takenAt = this.journal.mark();
    try {
      const key = await this.api.get(id);
      this.keep(key, takenAt);
      return key;
    } catch (err) {
      if (!(err instanceof QualysNotFoundError)) throw err;
      if ((this.entries.get(id)?.takenAt ?? takenAt) < takenAt) this.entries.delete(id);
      return undefined;
    }
  }

  /**
   * The key with exactly this title as this process knows it, if no write of ours touched it since
   * (then it is also the key's current data); `undefined` when the snapshot has none. Disabled
   * keys included. Undefined does not prove the title is free: the snapshot may be capped.
   */
  async findByTitle(title: string): Promise<AgentActKey | undefined> {
    await this.currentSnapshot();
    for (const [id, entry] of this.entries) {
      if (entry.key.title === title && this.journal.isFresh(id, entry.takenAt)) return entry.key;
    }
    return undefined;
  }

  /**
   * The key as Qualys holds it after our write (an update) that left it with `isDisabled`: joins
   * the next coalesced search (read-back-batcher.ts), never one issued before the write ended.
   */
  readAfterWrite(id: number, isDisabled: boolean): Promise<AgentActKey> {
    return this.readBacks.readBack(id, isDisabled);
  }

  /** Keeps a key exactly as our own create answered it, so later reads of this process see it. */
  rememberCreated(key: AgentActKey): void {
    this.keep(key, this.journal.mark());
  }

  /** Keeps `key` unless we already hold newer data of it. */
  private keep(key: AgentActKey, takenAt: number): void {
    const held = this.entries.get(key.id);
    if (!held || held.takenAt < takenAt) this.entries.set(key.id, { key, takenAt });
  }

  private currentSnapshot(): Promise<unknown> {
    const existing = this.snapshot;
    if (existing) {
      return existing.then((loadedAt) => (this.clock.now() - loadedAt > this.ttlMs ? this.reload(existing) : loadedAt));
    }
    return this.reload(undefined);
  }

  /** Starts one load shared by every concurrent reader; a failed load is not kept. */
  private reload(previous: Promise<number> | undefined): Promise<number> {
    if (this.snapshot !== previous) return this.snapshot!;
    const loading = this.load();
    this.snapshot = loading;
    loading.catch(() => {
      if (this.snapshot === loading) this.snapshot = undefined;
    });
    return loading;
  }

  /** Replaces what we hold with the listing; keys held from before it that it lacks are dropped. */
  private async load(): Promise<number> {
    const loadedAt = this.clock.now();
    const takenAt = this.journal.mark();
    const keys = await searchIncludingDisabled(this.api, [], { maxPages: this.maxSnapshotPages });
    const listed = new Set<number>();
    for (const key of keys) {
      listed.add(key.id);
      this.keep(key, takenAt);
    }
    for (const [id, entry] of this.entries) if (entry.takenAt < takenAt && !listed.has(id)) this.entries.delete(id);
    return loadedAt;
  }
}
