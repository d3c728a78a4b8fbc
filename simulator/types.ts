/**
 * Public shapes of the embedded Qualys simulator: a real HTTP server that speaks the
 * agentactkey QPS API (XML, responseCode errors with HTTP 200, limits, JWT auth) on 127.0.0.1.
 * Deliberately independent of the client in provider/qualys: it shares no codec, so a bug in one
 * is not mirrored in the other.
 */

export interface SimulatorUser {
  username: string;
  password: string;
  /**
   * `manager` sees every key; `reader` sees only keys listed in `scopeKeyIds` or created by it
   * (Qualys' "Get Started with VMDR OT APIs", "User Scoping for APIs"). Out-of-scope keys answer
   * OBJECT_NOT_FOUND.
   */
  role?: "manager" | "reader";
  scopeKeyIds?: number[];
  /**
   * Whether the account may use the API (default true). Without it every QPS call answers HTTP 200
   * UNAUTHORIZED with Qualys' own texts (docs/qualys-api.md, "Confirmed answers").
   */
  apiAccess?: boolean;
  /**
   * Whether the user holds the Cloud Agent permission "Change Activation Key", which moving agents
   * to another key needs besides View/Create/Edit/Delete (ca/api/keys/change_activation_key.htm).
   * Default: true for a manager (full scope), false for a reader. Without it `changeactkey`
   * answers INSUFFICIENT_PERMISSION.
   */
  changeActivationKey?: boolean;
  /**
   * The CA Activation Key permissions the user holds (default: all four). An operation without its
   * permission answers INSUFFICIENT_PERMISSION naming it (permissions.ts).
   */
  permissions?: KeyPermission[];
}

/** CA Activation Key View, Create, Edit, Delete (docs/qualys-api.md, "Responses and errors"). */
export type KeyPermission = "view" | "create" | "edit" | "delete";

/** A static tag of the simulated subscription (only static tags apply to keys). */
export interface SimulatorTag {
  id: number;
  name: string;
}

/** A fault the simulator applies to the next matching calls (admin API). */
export interface FaultSpec {
  /** Which operation to fault (`changeactkey`: Change Activation Key); omitted = any QPS operation. */
  operation?: "create" | "get" | "update" | "delete" | "search" | "changeactkey";
  kind:
    | "rate-409" // HTTP 409, body code 1965, X-RateLimit-* headers with ToWait
    | "concurrency-409" // HTTP 409, body code 1960
    | "rate-409-classic" // HTTP 409, classic <SIMPLE_RETURN> body code 1965 with SECONDS_TO_WAIT = toWaitSec (default 60), no ToWait header
    | "rate-429" // HTTP 429 gateway style, empty body
    | "block-409-other-code" // HTTP 409, QPS body OTHER_ERROR with no code number, X-RateLimit-* headers
    | "unavailable-503" // HTTP 503 with an HTML body, nothing written
    | "reset-before" // socket destroyed before the call is processed: nothing written
    | "reset-after" // the call is processed and committed, then the socket is destroyed
    | "malformed-xml" // HTTP 200 with a truncated XML body; the call is NOT processed
    | "html-proxy" // HTTP 502 with an HTML page, nothing written
    | "slow"; // respond normally after `delayMs`
  /** How many matching calls to fault (default 1). */
  count?: number;
  delayMs?: number;
  /**
   * For rate-409 / rate-429 / block-409-other-code: the ToWait seconds to send; omitted = header missing.
   * For rate-409-classic: the body's SECONDS_TO_WAIT (the header is always missing).
   */
  toWaitSec?: number;
}

export interface SimulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: one manager `admin`/`admin-password` (simulator only, never a real credential). */
  users?: SimulatorUser[];
  /** Licenses of the simulated subscription; modules outside it are silently dropped. Default: all known. */
  licenses?: string[];
  /** Rolling window rate limit; `null`/omitted = unlimited (no rate headers). */
  rateLimit?: { limit: number; windowSec: number } | null;
  /** Concurrent calls allowed; `null`/omitted = unlimited. */
  concurrencyLimit?: number | null;
  /** Status used for blocked calls: 409 (API server style, default) or 429 (gateway style). */
  blockedStatus?: 409 | 429;
  /** Whether blocked responses carry X-RateLimit-ToWait-Sec (default true). */
  sendToWait?: boolean;
  /** Whether every response carries the limit headers (default true). */
  sendLimitHeaders?: boolean;
  /**
   * Body of a 409 block: `qps` (default) a ServiceResponse LIMIT_EXCEEDED naming code 1965/1960;
   * `classic` the classic API's `<SIMPLE_RETURN>` with code 1965/1960 and SECONDS_TO_WAIT /
   * CALLS_TO_FINISH (docs/qualys-api.md, "Blocked answers: 409 and 429").
   */
  blockedBody?: "qps" | "classic";
  /**
   * Time each QPS call (agentactkey or changeactkey) takes on the server, ms, the simulator's own processing included:
   * a call never answers sooner (default 0: as fast as it can).
   */
  latencyMs?: number;
  /** JSON file to persist keys in, so separate processes share state. */
  statePath?: string;
  /** JWT lifetime in seconds (default 14400 = 4 h). */
  jwtLifetimeSec?: number;
  /** Whether search accepts `title` as a filter field (undocumented; default true). */
  titleSearchable?: boolean;
  /**
   * The subscription's static tags, which creates and updates may name by `<Tag><name>` alone
   * (tag-names.ts). Tags already on a key count too. Default: none.
   */
  tags?: SimulatorTag[];
  /**
   * Which `xsi:noNamespaceSchemaLocation` XML answers carry: `portal-api` (default, the Cloud Agent
   * API guide's samples' `.../portal-api/xsd/1.0/ca/agentactkey.xsd`) or `qps`
   * (`.../qps/xsd/1.0/ca/agentactkey.xsd`); both are seen from the real API.
   */
  schemaLocation?: "portal-api" | "qps";
  /** How many calls the request log keeps, oldest dropped first (default 10000; request-log.ts). */
  requestLogSize?: number;
  /** Injectable clock (ms since epoch) for rate windows and JWT expiry. */
  now?: () => number;
  /**
   * Answer missing or wrong credentials with HTTP 200 + INVALID_CREDENTIALS instead of 401, as
   * the real API sometimes does (default false). Expired JWTs always get 401.
   */
  authErrorsAsHttp200?: boolean;
}

/** One call as the simulator saw it. Credentials are never recorded. */
export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  operation: string;
  /** Username that authenticated, if any. */
  user?: string;
  statusCode: number;
  responseCode?: string;
  /** Whether the call was blocked by a limit. */
  blocked: boolean;
  /** Key id the call touched, when known. */
  keyId?: number;
}

/** A stored key, in the simulator's own JSON shape. */
export interface SimKey {
  id: number;
  uuid: string;
  activationKey: string;
  status: "ACTIVE" | "INACTIVE";
  countPurchased: number;
  countUsed: number;
  datePurchased: string;
  dateLastUsed?: string;
  type: "UNLIMITED" | "COUNT_LIMITED" | "TIME_LIMITED" | "COUNT_TIME_LIMITED";
  expireDate?: string;
  title: string;
  networkId: number;
  isDisabled: boolean;
  applyOnAgents: boolean;
  modules: string[];
  tags: { id: number; name: string }[];
  agents: SimAgent[];
  suspendSelfPatch: boolean;
  ownerId?: number;
  /** Username that created it (for reader scoping). */
  createdBy?: string;
}

/** A Cloud Agent registered with a key: `AgentAsset{id,uuid,name}` in answers. */
export interface SimAgent {
  /** The agent's asset id (what changeactkey's `id` filter compares). */
  id: number;
  uuid: string;
  name: string;
  /** Names of the asset's tags (what changeactkey's `tagName` filter compares); not shown in key answers. */
  tags?: string[];
}

/** Options of `attachAgents`. */
export interface AttachAgentsOptions {
  /** Tag names every new agent carries (at most 20, each 1–256 characters). */
  tags?: string[];
}

/** Programmatic admin surface (the same operations are served over HTTP under `/__admin/`). */
export interface SimulatorAdmin {
  listKeys(): SimKey[];
  getKey(id: number): SimKey | undefined;
  /** Out-of-band change, as if someone edited the key in the Qualys UI. */
  patchKey(id: number, patch: Partial<Omit<SimKey, "id">>): SimKey;
  /** Out-of-band creation, as if the key pre-existed. */
  insertKey(key: Partial<SimKey> & { title: string }): SimKey;
  deleteKey(id: number): void;
  /**
   * Adds `count` (1..1000) agents, as if they had installed with the key's activation key; a key
   * holds at most 10000 (input-bounds.ts). They appear in the key's get and search answers and in
   * its `countUsed`. Over HTTP: `POST /__admin/keys/<id>/agents {"count": 5, "tags": ["Prod"]}`.
   */
  attachAgents(id: number, count: number, options?: AttachAgentsOptions): SimKey;
  detachAgents(id: number): SimKey;
  /** Checks every spec first (input-bounds.ts); at most 1000 faults are pending at once. */
  injectFaults(faults: FaultSpec[]): void;
  clearFaults(): void;
  /** The most recent calls, at most `requestLogSize` of them. */
  requestLog(): RequestLogEntry[];
  /** Calls per operation since start or the last reset, blocked calls counted separately. */
  callCounts(): Record<string, number>;
  resetLog(): void;
  /** Checked like the start-up options (input-bounds.ts); throws on a value out of range. */
  setLimits(limits: LimitChanges): void;
  /** Highest number of agentactkey calls that were in flight at once. */
  maxInFlight(): number;
  reset(): void;
}

/** The limit settings the admin API may change at run time. */
export type LimitChanges = Pick<SimulatorOptions, "rateLimit" | "concurrencyLimit" | "blockedStatus" | "sendToWait" | "sendLimitHeaders" | "blockedBody" | "latencyMs">;

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:40123 — serves both `/qps/rest/...` and `/auth`. */
  url: string;
  admin: SimulatorAdmin;
  close(): Promise<void>;
}
