/**
 * Reads the subscription's API limits from response headers. Used by the response classifier
 * (to describe a blocked call) and by the scheduler (to pace and gate calls).
 *
 * Header names: `X-RateLimit-Limit`, `-Window-Sec`, `-Remaining`, `-ToWait-Sec` (Qualys' "Get
 * Started with VMDR OT APIs", "API Rate Limits") and `X-Concurrency-Limit-Limit` / `-Running`;
 * one Qualys page spells the latter `X-ConcurrencyLimit-Limit`, so both spellings are read
 * (docs/qualys-api.md, "Rate and concurrency limits"). Any header may be missing.
 */

/** The limit figures a response carried; a field is `undefined` when its header was absent or not a number. */
export interface LimitHeaders {
  /** `X-RateLimit-Limit`: calls allowed per window. */
  rateLimit?: number;
  /** `X-RateLimit-Window-Sec`: length of the rolling window. */
  windowSec?: number;
  /** `X-RateLimit-Remaining`: calls left in the current window. */
  remaining?: number;
  /** `X-RateLimit-ToWait-Sec`: how long to wait before the next call is accepted. */
  toWaitSec?: number;
  /** `X-Concurrency-Limit-Limit` (or `X-ConcurrencyLimit-Limit`): calls allowed at once. */
  concurrencyLimit?: number;
  /** `X-Concurrency-Limit-Running` (or `X-ConcurrencyLimit-Running`): calls running now. */
  concurrencyRunning?: number;
}

/** Header values as node delivers them; names are matched case-insensitively. */
type HeaderBag = Record<string, string | string[] | number | undefined>;

/**
 * Every header name read, lower-cased, with the field it fills. `primary` marks the documented
 * spelling, which wins when a response carries both spellings of a field.
 */
const SPELLINGS = new Map<string, { field: keyof LimitHeaders; primary: boolean }>([
  ["x-ratelimit-limit", { field: "rateLimit", primary: true }],
  ["x-ratelimit-window-sec", { field: "windowSec", primary: true }],
  ["x-ratelimit-remaining", { field: "remaining", primary: true }],
  ["x-ratelimit-towait-sec", { field: "toWaitSec", primary: true }],
  ["x-concurrency-limit-limit", { field: "concurrencyLimit", primary: true }],
  ["x-concurrencylimit-limit", { field: "concurrencyLimit", primary: false }],
  ["x-concurrency-limit-running", { field: "concurrencyRunning", primary: true }],
  ["x-concurrencylimit-running", { field: "concurrencyRunning", primary: false }],
]);

/**
 * Extracts the limit headers of one response; absent fields stay absent, so callers can spread
 * the result without overwriting known values. One pass over the headers with a fixed table: it
 * runs twice on every answer, and the first version (a Map of every header, closures, `delete`)
 * cost 15 ms of optimizing compilation alone in each provider process (issue 12, --trace-opt).
 */
export function parseLimitHeaders(headers: HeaderBag): LimitHeaders {
  const out: LimitHeaders = {};
  for (const name of Object.keys(headers)) {
    const spelling = SPELLINGS.get(name.toLowerCase());
    if (spelling === undefined) continue;
    const value = toNumber(headers[name]);
    if (value !== undefined && (spelling.primary || out[spelling.field] === undefined)) out[spelling.field] = value;
  }
  return out;
}

function toNumber(value: string | string[] | number | undefined): number | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  const text = String(first).trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}
