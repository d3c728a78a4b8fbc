/**
 * Bounds on every number and list the simulator is handed, at start-up or through the admin API
 * (which has no authentication, so anything a local web page could send must stay small). Each
 * bound is far above what a test or a real subscription needs and far below what would let one
 * call allocate without limit or hold a request forever. Violations throw AdminInputError (HTTP
 * 400 on the admin routes) naming the field and the allowed range.
 */
import type { FaultSpec, LimitChanges, SimulatorOptions } from "./types";

/** A value outside its bounds; the message names the field and the range. */
class AdminInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdminInputError";
  }
}

/** Agents one attachAgents call may add. */
const MAX_AGENTS_PER_CALL = 1000;
/** Agents one key may hold: every search renders them, 10000 are ~1 MB of XML. */
const MAX_AGENTS_PER_KEY = 10_000;
/** Faults pending at once (each entry may still repeat `count` times, which costs nothing). */
const MAX_PENDING_FAULTS = 1000;
/** The rate limit keeps one timestamp per call in the window, so `limit` bounds that list. */
const MAX_RATE_LIMIT = 100_000;
/**
 * Qualys' windows are an hour or a day (Qualys' "Get Started with VMDR OT APIs", "API Rate
 * Limits").
 */
const MAX_WINDOW_SEC = 86_400;
const MAX_CONCURRENCY = 1000;
/** Latency and fault delays hold a request open: one minute at most. */
const MAX_DELAY_MS = 60_000;
/** The classic 409 sample asks for 68928 s; a day covers it. */
const MAX_TO_WAIT_SEC = 86_400;
const MAX_FAULT_COUNT = 1_000_000;
/** The request log keeps at most this many calls (request-log.ts). */
const MAX_LOG_SIZE = 1_000_000;

const FAULT_KINDS: Record<FaultSpec["kind"], true> = {
  "rate-409": true,
  "rate-409-classic": true,
  "concurrency-409": true,
  "rate-429": true,
  "block-409-other-code": true,
  "unavailable-503": true,
  "reset-before": true,
  "reset-after": true,
  "malformed-xml": true,
  "html-proxy": true,
  slow: true,
};
const OPERATIONS: readonly string[] = ["create", "get", "update", "delete", "search", "changeactkey"];
/** Tag names one attachAgents call may give its agents, and the longest name. */
const MAX_AGENT_TAGS = 20;
const MAX_TAG_NAME_LENGTH = 256;

/** `value` as an integer in [min, max]. */
function boundedInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new AdminInputError(`${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value) ?? String(value)}.`);
  }
  return value;
}

/** Like boundedInteger, but `undefined` passes. */
function optionalInteger(value: unknown, field: string, min: number, max: number): void {
  if (value !== undefined) boundedInteger(value, field, min, max);
}

function oneOf(value: unknown, field: string, allowed: readonly unknown[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw new AdminInputError(`${field} must be one of ${allowed.map((item) => JSON.stringify(item)).join(", ")}, got ${JSON.stringify(value) ?? String(value)}.`);
  }
}

/** The limit settings of the start-up options or of an admin setLimits call. */
export function checkLimitChanges(changes: LimitChanges): void {
  const { rateLimit, concurrencyLimit } = changes;
  if (rateLimit !== undefined && rateLimit !== null) {
    if (typeof rateLimit !== "object") throw new AdminInputError("rateLimit must be {limit, windowSec} or null.");
    boundedInteger(rateLimit.limit, "rateLimit.limit", 1, MAX_RATE_LIMIT);
    boundedInteger(rateLimit.windowSec, "rateLimit.windowSec", 1, MAX_WINDOW_SEC);
  }
  if (concurrencyLimit !== null) optionalInteger(concurrencyLimit, "concurrencyLimit", 1, MAX_CONCURRENCY);
  optionalInteger(changes.latencyMs, "latencyMs", 0, MAX_DELAY_MS);
  oneOf(changes.blockedStatus, "blockedStatus", [409, 429]);
  oneOf(changes.blockedBody, "blockedBody", ["qps", "classic"]);
  oneOf(changes.sendToWait, "sendToWait", [true, false]);
  oneOf(changes.sendLimitHeaders, "sendLimitHeaders", [true, false]);
}

/** Every start-up option with a size or a duration. */
export function checkOptions(options: SimulatorOptions): void {
  checkLimitChanges(options);
  optionalInteger(options.requestLogSize, "requestLogSize", 1, MAX_LOG_SIZE);
  optionalInteger(options.jwtLifetimeSec, "jwtLifetimeSec", 1, 30 * 86_400);
}

/** A batch of faults, before any is queued; `pending` is how many are already waiting. */
export function checkFaultSpecs(specs: unknown, pending: number): asserts specs is FaultSpec[] {
  if (!Array.isArray(specs)) throw new AdminInputError("Send a JSON array of FaultSpec.");
  if (pending + specs.length > MAX_PENDING_FAULTS) {
    throw new AdminInputError(`At most ${MAX_PENDING_FAULTS} faults may be pending; ${pending} are, and ${specs.length} more were sent. Use count to repeat one fault.`);
  }
  specs.forEach((spec: unknown, index) => {
    const field = (name: string): string => `faults[${index}].${name}`;
    if (typeof spec !== "object" || spec === null) throw new AdminInputError(`faults[${index}] must be an object.`);
    const fault = spec as Record<string, unknown>;
    oneOf(fault["kind"] ?? null, field("kind"), Object.keys(FAULT_KINDS));
    oneOf(fault["operation"], field("operation"), OPERATIONS);
    optionalInteger(fault["count"], field("count"), 1, MAX_FAULT_COUNT);
    optionalInteger(fault["delayMs"], field("delayMs"), 0, MAX_DELAY_MS);
    optionalInteger(fault["toWaitSec"], field("toWaitSec"), 0, MAX_TO_WAIT_SEC);
  });
}

/** How many agents an attachAgents call may add to a key that holds `current`. */
export function checkAgentCount(count: unknown, current: number): number {
  const allowed = Math.min(MAX_AGENTS_PER_CALL, MAX_AGENTS_PER_KEY - current);
  if (allowed < 1) throw new AdminInputError(`The key already holds ${current} agents, the most one key may hold in the simulator (${MAX_AGENTS_PER_KEY}).`);
  return boundedInteger(count, "count", 1, allowed);
}

/** The tag names an attachAgents call gives its agents: a short list of non-empty strings. */
export function checkAgentTags(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || tags.length > MAX_AGENT_TAGS) throw new AdminInputError(`tags must be a list of at most ${MAX_AGENT_TAGS} tag names.`);
  return tags.map((tag: unknown, index) => {
    if (typeof tag !== "string" || tag.length < 1 || tag.length > MAX_TAG_NAME_LENGTH) {
      throw new AdminInputError(`tags[${index}] must be a tag name of 1 to ${MAX_TAG_NAME_LENGTH} characters.`);
    }
    return tag;
  });
}
