/**
 * The simulator's key database: in memory, optionally mirrored to a JSON file. With a file, every
 * access re-reads it first and every mutation writes it back, so several simulator processes (a
 * test runner and a Pulumi provider process, say) see one shared set of keys.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { SimKey } from "./types";

/** The first id handed out; the Cloud Agent API guide's create sample answers with id 3617002. */
const FIRST_KEY_ID = 3617002;
const FIRST_AGENT_ID = 8409005;

/** Everything that is persisted. Limits, faults and the request log stay per process. */
export interface StoreState {
  nextId: number;
  nextAgentId: number;
  keys: SimKey[];
}

function emptyState(): StoreState {
  return { nextId: FIRST_KEY_ID, nextAgentId: FIRST_AGENT_ID, keys: [] };
}

export class KeyStore {
  private state: StoreState;

  /** @param statePath JSON file shared between processes; omitted = memory only. */
  constructor(private readonly statePath?: string) {
    this.state = emptyState();
    this.refresh();
  }

  /** Runs `fn` on the current state (re-read from the file when there is one). */
  read<T>(fn: (state: Readonly<StoreState>) => T): T {
    this.refresh();
    return fn(this.state);
  }

  /** Runs `fn` on the current state and persists it afterwards, even when `fn` throws halfway. */
  write<T>(fn: (state: StoreState) => T): T {
    this.refresh();
    try {
      return fn(this.state);
    } finally {
      this.persist();
    }
  }

  /** Forgets every key and restarts the id sequence. */
  clear(): void {
    this.state = emptyState();
    this.persist();
  }

  private refresh(): void {
    if (!this.statePath || !existsSync(this.statePath)) return;
    this.state = JSON.parse(readFileSync(this.statePath, "utf8")) as StoreState;
  }

  private persist(): void {
    if (!this.statePath) return;
    // Write then rename, so a concurrent reader never sees half a file.
    const temporary = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state, null, 2));
    renameSync(temporary, this.statePath);
  }
}

/** The key with `id`, if any. */
export function findKey(state: Readonly<StoreState>, id: number): SimKey | undefined {
  return state.keys.find((key) => key.id === id);
}
