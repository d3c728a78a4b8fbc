/**
 * The core's context factory: one client, scheduler and bulk reader per subscription for the
 * whole provider process. Both adapters use it: the dynamic resource keys it by the stack
 * configuration, the plugin by each provider instance's configuration, so two explicit providers
 * for two subscriptions never share a client, limiter or cache (issue 9).
 *
 * - The scheduler is keyed by the subscription (auth mode, API URL, user): Qualys counts limits per
 *   subscription, so every client of that user queues at the same gate and honours the same block.
 * - The client and reader are also keyed by the password (as a digest, never the text): a process
 *   reconfigured with a new password must not keep sending the old one. Likewise by
 *   qualys:timeoutMs, which the client is built with, and by qualys:maxWaitSec and
 *   qualys:retryDeadlineSec: each configuration's caps apply to its own operations, over the
 *   subscription's shared limits (scheduler-registry.ts).
 * - Every write of the context's client is recorded in the journal its reader consults
 *   (`lifecycleContext`).
 * - At most `maxContexts` configurations are kept, least recently used dropped first: a plugin
 *   checked with thousands of distinct configurations (CheckConfig builds each one's client) kept
 *   every client, logger and cache for good (+100 MB for 5,000 usernames). A dropped configuration
 *   used again is rebuilt, with no API call.
 */
import { createHash } from "node:crypto";
import { SearchBackedKeyReader } from "../qualys/api/search-backed-key-reader";
import { journalWrites, WriteJournal } from "../qualys/api/write-journal";
import { createQualysClient } from "../qualys/client";
import { credentialForms } from "../qualys/redact";
import { releaseScheduler, schedulerFor } from "../scheduling/scheduler-registry";
import type { LifecycleContext } from "../activation-key/context";
import type { ExchangeObserver } from "../qualys/transport/exchange-recorder";
import { KeyClaims } from "../activation-key/key-claims";
import type { AgentActKeyApi, QualysLogger, RequestScheduler } from "../qualys/types";
import type { ProviderSettings } from "./resolve-settings";
import { subscriptionLogger, type LogSink } from "./subscription-logger";

/** Configurations a registry keeps by default: far more than the providers of any one program. */
const DEFAULT_MAX_CONTEXTS = 64;

interface Entry {
  context: LifecycleContext;
  subscription: string;
  scheduler: RequestScheduler;
}

export class SubscriptionRegistry {
  /** In least-recently-used order: a Map iterates in insertion order, and a use re-inserts. */
  private readonly contexts = new Map<string, Entry>();

  /**
   * @param sink where every subscription's log lines go (the adapter's engine connection).
   * @param onExchange receives every exchange of every subscription, masked (exchange-recorder.ts).
   * @param maxContexts how many configurations to keep; the least recently used beyond it are dropped.
   */
  constructor(
    private readonly sink: LogSink,
    private readonly onExchange?: ExchangeObserver,
    private readonly maxContexts = DEFAULT_MAX_CONTEXTS,
  ) {}

  /** How many configurations the registry holds now. */
  get size(): number {
    return this.contexts.size;
  }

  /** The context of the subscription `settings` name; builds it (no API call) on first use. */
  contextFor(settings: ProviderSettings): LifecycleContext {
    const subscription = `${settings.authMode} ${settings.apiUrl} ${settings.username}`;
    const caps = `${settings.timeoutMs ?? ""} ${settings.maxWaitSec ?? ""} ${settings.retryDeadlineSec ?? ""}`;
    const key = `${subscription} ${settings.gatewayUrl ?? ""} ${caps} ${settings.recordFile ?? ""} ${createHash("sha256").update(settings.password).digest("hex")}`;
    const kept = this.contexts.get(key);
    if (kept) {
      this.contexts.delete(key);
      this.contexts.set(key, kept);
      return kept.context;
    }
    const log = subscriptionLogger(this.sink, credentialForms(settings.username, settings.password));
    const scheduler = schedulerFor(subscription, { maxWaitSec: settings.maxWaitSec, retryDeadlineSec: settings.retryDeadlineSec, logger: log });
    const client = createQualysClient({
      apiUrl: settings.apiUrl,
      gatewayUrl: settings.gatewayUrl,
      username: settings.username,
      password: settings.password,
      authMode: settings.authMode,
      allowInsecureHttp: settings.allowInsecureHttp,
      timeoutMs: settings.timeoutMs,
      recordFile: settings.recordFile,
      onExchange: this.onExchange,
      logger: log,
      scheduler,
    });
    const context = lifecycleContext(client, log);
    this.contexts.set(key, { context, subscription, scheduler });
    for (const [oldest, entry] of this.contexts) {
      if (this.contexts.size <= this.maxContexts) break;
      this.contexts.delete(oldest);
      releaseScheduler(entry.subscription, entry.scheduler);
    }
    return context;
  }
}

/**
 * The lifecycle context of one subscription's client: its writes journaled, and a bulk reader that
 * consults that journal (write-journal.ts), so no read returns data older than our own last write.
 */
export function lifecycleContext(client: AgentActKeyApi, log: QualysLogger): LifecycleContext {
  const journal = new WriteJournal();
  const api = journalWrites(client, journal);
  return { api, reader: new SearchBackedKeyReader(api, { journal }), log, rotations: new Map(), claims: new KeyClaims() };
}
