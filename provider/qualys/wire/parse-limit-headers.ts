/**
 * Reads the subscription's API limits from response headers. Used by the response classifier
 * (to describe a blocked call) and by the scheduler (to pace and gate calls).
 *
 * Header names: `X-RateLimit-Limit`, `-Window-Sec`, `-Remaining`, `-ToWait-Sec` (seed
 * vmdr-ot-api-get-started, "API Rate Limits") and `X-Concurrency-Limit-Limit` / `-Running`;
 * one Qualys page spells the latter `X-ConcurrencyLimit-Limit`, so both spellings are read
 * (shared/docs/qualys-agentactkey-api.md, "Rate and concurrency limits"). Any header may be missing.
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

/** Header values as node/got deliver them; names are matched case-insensitively. */
export type HeaderBag = Record<string, string | string[] | number | undefined>;

/** Extracts the limit headers of one response. */
export function parseLimitHeaders(headers: HeaderBag): LimitHeaders {
  const lower = new Map<string, string | string[] | number | undefined>();
  for (const [name, value] of Object.entries(headers)) lower.set(name.toLowerCase(), value);
  const read = (...names: string[]): number | undefined => {
    for (const name of names) {
      const value = toNumber(lower.get(name));
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const out: LimitHeaders = {
    rateLimit: read("x-ratelimit-limit"),
    windowSec: read("x-ratelimit-window-sec"),
    remaining: read("x-ratelimit-remaining"),
    toWaitSec: read("x-ratelimit-towait-sec"),
    concurrencyLimit: read("x-concurrency-limit-limit", "x-concurrencylimit-limit"),
    concurrencyRunning: read("x-concurrency-limit-running", "x-concurrencylimit-running"),
  };
  // Drop absent fields so callers can spread the result without overwriting known values.
  for (const key of Object.keys(out) as (keyof LimitHeaders)[]) if (out[key] === undefined) delete out[key];
  return out;
}

function toNumber(value: string | string[] | number | undefined): number | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  const text = String(first).trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}
