/**
 * What every lifecycle operation of the core works with: the subscription's client, its bulk
 * reader, and a logger. Adapters (the dynamic resource, the plugin server, the CLI) get one from
 * the subscription registry (provider/subscription) and pass plain property bags; the core never
 * sees a wire format.
 */
import type { KeyClaims } from "./key-claims";
import type { SearchBackedKeyReader } from "../qualys/api/search-backed-key-reader";
import type { AgentActKeyApi, QualysLogger } from "../qualys/types";
import type { PendingRotations } from "./rotate";

/** A property bag as the engine passes it: plain JSON values, unknowns as UNKNOWN_VALUE. */
export type PropertyBag = Record<string, unknown>;

export interface LifecycleContext {
  /** The activation-key API of one subscription, behind its scheduler; its writes are journaled. */
  api: AgentActKeyApi;
  /**
   * Serves reads from paged searches (cheap refresh), title look-ups for adoption, and coalesced
   * read-backs after writes; it consults the journal `api` records writes in.
   */
  reader: SearchBackedKeyReader;
  /** Warnings and waits; lines carry the current resource's URN where the adapter knows it. */
  log: QualysLogger;
  /** Rotations this process's diffs planned, for the creates that complete them (rotate.ts). */
  rotations: PendingRotations;
  /** Which resource of this process manages which key: one key is never adopted by two (key-claims.ts). */
  claims: KeyClaims;
}
