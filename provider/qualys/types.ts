/**
 * Shared types of the Qualys activation-key client. One file on purpose (octokit style): every
 * other module of `provider/qualys/` and `provider/scheduling/` imports its shapes from here.
 *
 * Field meanings follow the XSD `ca/agentactkey.xsd` of the Cloud Agent API guide's activation key
 * samples and the notes in docs/qualys-api.md ("Fields and their behaviour").
 */
import type { ExchangeObserver } from "./transport/exchange-recorder";

/** `ActivationKeyType` of the XSD. */
export type ActivationKeyType = "UNLIMITED" | "COUNT_LIMITED" | "TIME_LIMITED" | "COUNT_TIME_LIMITED";

export const ACTIVATION_KEY_TYPES: readonly ActivationKeyType[] = [
  "UNLIMITED",
  "COUNT_LIMITED",
  "TIME_LIMITED",
  "COUNT_TIME_LIMITED",
];

/** `AgentStatus` of the XSD. */
export type AgentKeyStatus = "ACTIVE" | "INACTIVE";

/** License names Qualys documents for `ActivationKeyModule/license`. The list grows over time. */
export const KNOWN_LICENSES: readonly string[] = [
  "VM_LICENSE",
  "PC_LICENSE",
  "SCA",
  "PM",
  "SA",
  "FIM",
  "EDR",
  "SWCA",
  "CAPS",
  "MTG",
  "GAV",
];

/** A static tag attached to a key (`Tag{id,name}`). */
export interface AgentKeyTag {
  id: number;
  name?: string;
}

/** An agent registered with a key (`AgentAsset{id,uuid,name}`). */
export interface AgentAsset {
  id: number;
  uuid?: string;
  name?: string;
}

/**
 * An activation key as the server returns it. Every field but `id` may be missing: the server
 * omits empty values, and the update response omits `modules` altogether.
 * Numbers are numbers, booleans booleans, dates ISO-8601 strings (`2021-05-13T15:19:31Z`).
 */
export interface AgentActKey {
  id: number;
  uuid?: string;
  activationKey?: string;
  status?: AgentKeyStatus;
  countPurchased?: number;
  countUsed?: number;
  datePurchased?: string;
  dateLastUsed?: string;
  type?: ActivationKeyType;
  expireDate?: string;
  title?: string;
  networkId?: number;
  isDisabled?: boolean;
  applyOnAgents?: boolean;
  /** License names, in server order. `undefined` when the response had no `modules` element. */
  modules?: string[];
  /** `undefined` when the response had no `tags` element. */
  tags?: AgentKeyTag[];
  /** `undefined` when the response had no `agents` element. */
  agents?: AgentAsset[];
  suspendSelfPatch?: boolean;
  ownerId?: number;
}

/**
 * The desired state of a key as we send it on create and update. Update always sends the full
 * desired state (`type` is mandatory on update, and partial updates are not documented).
 */
export interface AgentActKeyWrite {
  title: string;
  type: ActivationKeyType;
  countPurchased?: number;
  /** UTC, `YYYY-MM-DDTHH:MM:SSZ`. */
  expireDate?: string;
  ownerId?: number;
  networkId?: number;
  isDisabled?: boolean;
  applyOnAgents?: boolean;
  suspendSelfPatch?: boolean;
  /** License names; sent as `modules/list/ActivationKeyModule/license`. */
  modules?: string[];
  /** Static tag ids; sent as `tags/list/Tag/id`. */
  tagIds?: number[];
}

/** QPS search operators (docs/qualys-api.md, "Search and paging"). */
export type SearchOperator = "EQUALS" | "NOT EQUALS" | "GREATER" | "LESSER" | "IN" | "CONTAINS";

/** One `<Criteria field=".." operator="..">value</Criteria>`. */
export interface SearchCriteria {
  field: string;
  operator: SearchOperator;
  value: string;
}

/** One page of a search. */
export interface SearchPage {
  keys: AgentActKey[];
  count: number;
  /** Parsed from the wire string "true"/"false". */
  hasMoreRecords: boolean;
  lastId?: number;
}

/**
 * The operations of the agentactkey API, used in errors, logs and call counts; `changeactkey` is
 * Change Activation Key (`/qps/rest/1.0/cak/ca/changeactkey/`).
 */
export type QualysOperation = "create" | "get" | "update" | "delete" | "search" | "changeactkey" | "auth";

/**
 * One filter of Change Activation Key, with the fields and operators Qualys documents for it
 * (ca/api/keys/change_activation_key.htm): the agent's asset id, its tag names, or the activation
 * key it is registered with.
 */
export type AgentFilter =
  | { field: "id"; operator: "EQUALS" | "IN" | "NOT EQUALS" | "GREATER" | "LESSER"; value: string }
  | { field: "tagName"; operator: "CONTAINS" | "EQUALS" | "NOT EQUALS"; value: string }
  | { field: "activationKey"; operator: "EQUALS"; value: string };

/** What `changeActivationKey` moves, and where to. */
export interface AgentMove {
  /** The activation key *value* (the enrolment secret agents install with, not the id) of the key the agents move to. */
  newActivationKey: string;
  /** Which agents move: every filter must match. Qualys requires at least one. */
  filters: AgentFilter[];
  /** The key the agents leave, when known: named in errors and log lines. */
  fromKeyId?: number;
}

/** `basic` for `/qps/rest` on the API server, `jwt` for a token from `<gateway>/auth`. */
export type AuthMode = "basic" | "jwt";

/**
 * A request as sent, for errors and debug logs. Never holds credentials: made by `summarizeRequest`
 * (request-summary.ts), which redacts, and redacted again by every `QualysError` that keeps one.
 */
export interface RequestSummary {
  operation: QualysOperation;
  method: "GET" | "POST";
  /** Redacted of anything that looks like a credential. */
  url: string;
  /** Headers as sent, lower-cased, with `authorization` replaced by `[REDACTED]`. */
  headers: Record<string, string>;
}

/** Status and headers of one HTTP response, as the scheduler sees them. */
export interface ResponseMeta {
  statusCode: number;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  /**
   * False when the answer certainly is not a limit block (classify-response.ts, `mayBeLimitBlock`):
   * the scheduler then frees the call's concurrency slot at once, and the next call goes out while
   * this body is still being parsed. True keeps the slot until the attempt has ended and a block
   * is recorded, so that no queued call slips out during the block.
   */
  mayBeLimitBlock: boolean;
}

/** Wall clock and sleeping, injectable so that tests wait milliseconds (see tests/). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds (of this clock). */
  sleep(ms: number): Promise<void>;
}

/** Where the provider reports waits, retries and debug lines. */
export interface QualysLogger {
  /**
   * Absent while debug output is off, so that callers build no debug text: the request and answer
   * lines of every call (headers redacted, as JSON) cost more than the rest of the logging.
   */
  debug?(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export interface SearchAllOptions {
  /** Stop after this many pages (of up to 1000 keys), even if the server has more. Default: no cap. */
  maxPages?: number;
}

/** The activation-key API, as every caller above the transport sees it. */
export interface AgentActKeyApi {
  create(key: AgentActKeyWrite): Promise<AgentActKey>;
  /** Throws `QualysNotFoundError` when the key does not exist or is outside the user's scope. */
  get(id: number): Promise<AgentActKey>;
  update(id: number, key: AgentActKeyWrite): Promise<AgentActKey>;
  delete(id: number): Promise<void>;
  searchPage(criteria?: SearchCriteria[], limitResults?: number): Promise<SearchPage>;
  /** Every key matching `criteria`, following `lastId` paging. */
  searchAll(criteria?: SearchCriteria[], options?: SearchAllOptions): Promise<AgentActKey[]>;
  /**
   * Change Activation Key: moves the agents `move.filters` select onto the key whose activation key
   * is `move.newActivationKey`. Idempotent (agents already there stay), so it is retried like a
   * read. Resolves when Qualys accepted the call; its answer's shape is not documented, so callers
   * verify the outcome by reading the keys (or by a delete, which Qualys refuses while any agent
   * is left), never from the answer. Throws QUALYS_INVALID_INPUT without a filter, before sending.
   */
  changeActivationKey(move: AgentMove): Promise<void>;
}

/** One logical API call handed to the scheduler (provider/scheduling). */
export interface ScheduledCall<T> {
  operation: QualysOperation;
  /**
   * Whether re-sending after an ambiguous failure (5xx, reset, timeout) is safe. False for create:
   * the key may exist, and create-or-adopt resolves that by searching (never a blind re-POST).
   */
  idempotent: boolean;
  /** For log lines, e.g. `key 3617002` or `key "linux-servers"`. */
  subject?: string;
  /**
   * Sends the request once. Must call `report` once with the attempt's final response (success or
   * not), as soon as it arrives and before parsing its body, so the scheduler learns the limits
   * and can free the concurrency slot; then resolve or throw a typed Qualys error. A response the
   * attempt answers by sending again itself (a 401 that renewed a JWT, qps-call.ts) is not
   * reported: the re-send still needs the slot. An attempt that gets no response reports nothing.
   */
  attempt(report: (meta: ResponseMeta) => void): Promise<T>;
}

/** Gates, paces and retries calls of one subscription (API URL + user). */
export interface RequestScheduler {
  run<T>(call: ScheduledCall<T>): Promise<T>;
}

/** How large one answer may be before the transport stops reading it (transport/answer-caps.ts). */
export interface AnswerCaps {
  /** Largest body accepted on the wire (compressed, if the server compressed it), bytes. */
  maxWireBytes: number;
  /** Largest body accepted after decompression, bytes. */
  maxDecodedBytes: number;
}

/** Everything needed to talk to one Qualys subscription. */
export interface QualysClientOptions {
  /** API server base URL, e.g. https://qualysapi.qualys.com (no trailing path). */
  apiUrl: string;
  /** Gateway base URL, needed for `authMode: "jwt"`. */
  gatewayUrl?: string;
  username: string;
  password: string;
  /** Default `basic`. */
  authMode?: AuthMode;
  /** Allow plain http to a non-loopback host. Default false: credentials never cross a network in clear. */
  allowInsecureHttp?: boolean;
  /**
   * Whole-request timeout in ms, from connecting to the answer's last byte (default 60 000;
   * `qualys:timeoutMs`). A request that times out is not retried: see is-retryable.ts.
   */
  timeoutMs?: number;
  /** Size caps of one answer (default 32 MiB each, transport/answer-caps.ts); tests inject small ones. */
  answerCaps?: Partial<AnswerCaps>;
  /** Scheduler to run calls through; default: a pass-through that sends each call once. */
  scheduler?: RequestScheduler;
  /**
   * File every exchange is appended to as one masked JSON line (`QUALYS_RECORD`,
   * transport/exchange-recorder.ts says what is masked). Default: nothing recorded.
   */
  recordFile?: string;
  /** Receives every exchange, masked as for `recordFile` (e.g. `qualys-keys doctor` reads the limit headers). */
  onExchange?: ExchangeObserver;
  logger?: QualysLogger;
  clock?: Clock;
}

/** Caps and clocks of the request scheduler (provider/scheduling/request-scheduler.ts). */
export interface SchedulerOptions {
  /** Longest single wait for a limit, seconds; a longer one fails at once with QualysRateLimitError. Default 300 (`qualys:maxWaitSec`). */
  maxWaitSec?: number;
  /** Longest total time one operation may spend waiting and retrying, seconds. Default 900 (`qualys:retryDeadlineSec`). */
  retryDeadlineSec?: number;
  /** Attempts per operation, the first included. Default 8. */
  maxAttempts?: number;
  /** First backoff ceiling, ms, for blocks without ToWait and transient failures. Default 1000. */
  baseBackoffMs?: number;
  /** Largest backoff ceiling, ms. Default 60 000. */
  maxBackoffMs?: number;
  /** Calls allowed at once before the server announces its limit. Default 1. */
  initialConcurrency?: number;
  /** Time and sleeping; default the system clock. Tests inject a fake one so waits take no time. */
  clock?: Clock;
  /** Where waits and retries are reported; default silent. The provider passes the engine logger. */
  logger?: QualysLogger;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
}
