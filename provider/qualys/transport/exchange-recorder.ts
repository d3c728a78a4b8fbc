/**
 * `QUALYS_RECORD=<file>`: every exchange of a run, one JSON line each, fit to attach to a bug
 * report (issue 21). The transport hands each exchange here once its answer is decoded (or once
 * it is known that none came); this module masks it and passes the masked record to its sinks:
 * a file opened for appending, and whatever in-process observer a caller adds (`qualys-keys
 * doctor` reads the limit headers this way).
 *
 * What is masked, in the URL, the bodies and the header values:
 * - credentials: the password, `user:password` and its base64, `Basic …`, `Bearer …`, JWTs and
 *   `password=`/`token=` form fields (redact.ts `redactText`, with the client's living secrets);
 * - activation keys: the value of every element or JSON field whose name ends in `activationKey`
 *   (`activationKey`, `newActivationKey`, `oldActivationKey`) and of a search criterion on the
 *   `activationKey` field — and each value once seen, wherever it appears again in the run.
 * Request headers are not recorded at all (the `Authorization` header lives there); of the answer's
 * headers only the limit headers are kept (docs/qualys-api.md, "Rate and concurrency limits").
 */
import { appendFileSync } from "node:fs";
import { REDACTED, redactText } from "../redact";
import type { QualysLogger, QualysOperation } from "../types";

/** One exchange as recorded: what a bug report needs, with nothing secret in it. */
export interface RecordedExchange {
  /** ISO-8601 time the answer (or the failure) arrived. */
  at: string;
  operation: QualysOperation;
  method: "GET" | "POST";
  /** Path and query below the host (redacted). */
  path: string;
  /** HTTP status; absent when no answer came (`error` says why). */
  status?: number;
  /** The `X-RateLimit-*` and `X-Concurrency-*` headers of the answer, lower-cased. */
  limits: Record<string, string>;
  requestBody?: string;
  responseBody?: string;
  /** Why no answer came (a network failure, a timeout, an answer over the size caps). */
  error?: string;
}

/** An exchange as the transport saw it, before masking. */
export interface RawExchange {
  operation: QualysOperation;
  method: "GET" | "POST";
  url: string;
  requestBody?: string;
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  responseBody?: string;
  error?: string;
}

/** Receives each masked exchange. */
export type ExchangeObserver = (exchange: RecordedExchange) => void;

/** The hook the transport calls with every exchange. */
export type ExchangeHook = (exchange: RawExchange) => void;

/** `<xActivationKey>value<` (any element whose name ends in activationKey) and the criterion on it. */
const XML_KEY_VALUES = [/<(\w*activationKey)>([^<]*)</gi, /<Criteria\s[^>]*field="activationKey"[^>]*>([^<]*)</gi];
/** `"xActivationKey": "value"` in a JSON body, and `"field": "activationKey", …, "value": "…"`. */
const JSON_KEY_VALUES = [/"(\w*activationKey)"\s*:\s*"([^"]*)"/gi, /"field"\s*:\s*"activationKey"[^}]*?"value"\s*:\s*"([^"]*)"/gi];

const LIMIT_HEADER = /^x-(ratelimit|concurrency-?limit)-/i;

/**
 * The hook that masks each exchange and hands it to `file` (appended as one JSON line) and to
 * `observers`; undefined when there is nowhere to send it, so the transport does no work.
 * `secrets` is the client's living list (redact.ts `credentialForms`): a JWT obtained later is
 * masked too.
 */
export function exchangeRecorder(options: {
  file?: string;
  observers?: readonly ExchangeObserver[];
  secrets: readonly string[];
  /** Told once when the file cannot be written. */
  logger?: QualysLogger;
}): ExchangeHook | undefined {
  const sinks: ExchangeObserver[] = [...(options.observers ?? [])];
  const { file } = options;
  if (file) {
    let writable = true;
    sinks.push((record) => {
      if (!writable) return;
      try {
        // Synchronous append: lines stay whole and in order even if the process is killed mid-run.
        appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
      } catch (error) {
        // Never fail the call: its answer (a new key's id) must reach the caller.
        writable = false;
        options.logger?.warn(`QUALYS_RECORD: cannot append to ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); this run is not recorded. Fix the path or unset QUALYS_RECORD.`);
      }
    });
  }
  if (sinks.length === 0) return undefined;
  const seenKeys = new Set<string>();
  return (raw) => {
    const texts = [raw.url, raw.requestBody ?? "", raw.responseBody ?? ""];
    for (const text of texts) collectActivationKeys(text, seenKeys);
    const mask = (text: string | undefined): string | undefined => (text === undefined ? undefined : maskActivationKeys(redactText(text, options.secrets), seenKeys));
    const url = new URL(raw.url);
    const record: RecordedExchange = {
      at: new Date().toISOString(),
      operation: raw.operation,
      method: raw.method,
      path: mask(`${url.pathname}${url.search}`)!,
      limits: limitHeaders(raw.headers ?? {}, (value) => mask(value)!),
    };
    if (raw.status !== undefined) record.status = raw.status;
    if (raw.requestBody !== undefined) record.requestBody = mask(raw.requestBody);
    if (raw.responseBody !== undefined) record.responseBody = mask(raw.responseBody);
    if (raw.error !== undefined) record.error = mask(raw.error);
    for (const sink of sinks) sink(record);
  };
}

function collectActivationKeys(text: string, seen: Set<string>): void {
  for (const pattern of [...XML_KEY_VALUES, ...JSON_KEY_VALUES]) {
    for (const match of text.matchAll(pattern)) {
      const value = (match[2] ?? match[1] ?? "").trim();
      // Short values would blank ordinary words; real activation keys are UUIDs.
      if (value.length >= 8 && value !== REDACTED) seen.add(value);
    }
  }
}

/** `text` with every activation-key value replaced: in its element or field, and anywhere else it appears. */
function maskActivationKeys(text: string, seen: ReadonlySet<string>): string {
  let out = text
    .replace(XML_KEY_VALUES[0]!, (_m, name: string) => `<${name}>${REDACTED}<`)
    .replace(XML_KEY_VALUES[1]!, (m, value: string) => `${m.slice(0, m.length - value.length - 1)}${REDACTED}<`)
    .replace(JSON_KEY_VALUES[0]!, (_m, name: string) => `"${name}":"${REDACTED}"`)
    .replace(JSON_KEY_VALUES[1]!, (m, value: string) => `${m.slice(0, m.length - value.length - 1)}${REDACTED}"`);
  for (const value of seen) out = out.split(value).join(REDACTED);
  return out;
}

function limitHeaders(headers: Record<string, string | string[] | undefined>, mask: (value: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && LIMIT_HEADER.test(name)) out[name.toLowerCase()] = mask(Array.isArray(value) ? value.join(", ") : value);
  }
  return out;
}
