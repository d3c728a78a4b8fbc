/**
 * Cheap refresh: serves the reads of one provider process from paged searches instead of one
 * `get` per key.
 *
 * Why: a subscription typically allows 300 calls per hour (shared/docs/qualys-agentactkey-api.md,
 * "Rate and concurrency limits"), so a `pulumi refresh` of 500 keys done with one get each cannot
 * even finish within the hour. A search returns up to 1000 keys per call.
 *
 * How:
 * - The first read of the process loads a snapshot: one paged search of the enabled keys and one of
 *   the disabled keys (search hides disabled keys unless asked), each capped at `maxSnapshotPages`
 *   pages so a very large subscription costs a bounded number of calls.
 * - Every later read is answered from the snapshot. A key the snapshot does not hold (deleted, out
 *   of scope, beyond the page cap, created by someone else after the snapshot) is fetched with `get`,
 *   so "gone" is only ever reported after the server itself said so.
 * - Freshness: the dynamic-provider host lives for one engine operation (a refresh, a preview, an
 *   update; shared/docs/pulumi-dynamic-providers.md "Who calls what"), and the snapshot lives at most
 *   `ttlMs` on top of that. Our own writes update the snapshot (`remember`/`forget`), so a read after
 *   our update never returns the pre-update value.
 */
import { QualysNotFoundError } from "../errors";
import { searchIncludingDisabled } from "./search-including-disabled";
import type { AgentActKey, AgentActKeyApi, Clock } from "../types";

export interface SearchBackedKeyReaderOptions {
  /** Pages (of up to 1000 keys) loaded per snapshot search. Default 3. */
  maxSnapshotPages?: number;
  /** How long a snapshot is trusted, ms. Default 60 s: a refresh reads its keys within seconds. */
  ttlMs?: number;
  clock?: Pick<Clock, "now">;
}

interface Snapshot {
  loadedAt: number;
  keys: Map<number, AgentActKey>;
}

export class SearchBackedKeyReader {
  private readonly maxSnapshotPages: number;
  private readonly ttlMs: number;
  private readonly clock: Pick<Clock, "now">;
  private snapshot?: Promise<Snapshot>;

  constructor(
    private readonly api: AgentActKeyApi,
    options: SearchBackedKeyReaderOptions = {},
  ) {
    this.maxSnapshotPages = options.maxSnapshotPages ?? 3;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.clock = options.clock ?? Date;
  }

  /** The key as the server has it now, or `undefined` when the server says it does not exist. */
  async read(id: number): Promise<AgentActKey | undefined> {
    const snapshot = await this.currentSnapshot();
    const cached = snapshot.keys.get(id);
    if (cached) return cached;
    try {
      const key = await this.api.get(id);
      snapshot.keys.set(id, key);
      return key;
    } catch (err) {
      if (err instanceof QualysNotFoundError) return undefined;
      throw err;
    }
  }

  /** Records a key as our own create/update left it, so later reads of this process see it. */
  remember(key: AgentActKey): void {
    void this.snapshot?.then((s) => s.keys.set(key.id, key), () => undefined);
  }

  /** Drops a key we deleted. */
  forget(id: number): void {
    void this.snapshot?.then((s) => s.keys.delete(id), () => undefined);
  }

  private currentSnapshot(): Promise<Snapshot> {
    const existing = this.snapshot;
    if (existing) {
      return existing.then((s) => (this.clock.now() - s.loadedAt > this.ttlMs ? this.reload(existing) : s));
    }
    return this.reload(undefined);
  }

  /** Starts one load shared by every concurrent reader; a failed load is not kept. */
  private reload(previous: Promise<Snapshot> | undefined): Promise<Snapshot> {
    if (this.snapshot !== previous) return this.snapshot!;
    const loading = this.load();
    this.snapshot = loading;
    loading.catch(() => {
      if (this.snapshot === loading) this.snapshot = undefined;
    });
    return loading;
  }

  private async load(): Promise<Snapshot> {
    const loadedAt = this.clock.now();
    const keys = new Map<number, AgentActKey>();
    for (const key of await searchIncludingDisabled(this.api, [], { maxPages: this.maxSnapshotPages })) keys.set(key.id, key);
    return { loadedAt, keys };
  }
}
