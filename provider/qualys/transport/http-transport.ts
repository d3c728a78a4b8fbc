/**
 * Sends one HTTP request with got and hands back status, headers and body. It never retries
 * (`retry.limit: 0`: retries belong to the scheduler, issue 4, and a create must never be re-sent
 * blindly), never follows a redirect (`followRedirect: false`: it would re-send credentials
 * elsewhere; classify-response.ts reports it) and never throws on an HTTP status
 * (`throwHttpErrors: false`: QPS puts errors in 200 bodies, so classify-response.ts decides). It
 * throws `QualysNetworkError` when no answer came (network-failure.ts) and
 * `QualysAnswerTooLargeError` when the answer passes the size caps (answer-caps.ts); no error of
 * got's leaves it, since got's errors carry the request options, the raw Authorization included.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { LookupFunction } from "node:net";
import type { CallContext } from "../call-context";
import { QualysAnswerTooLargeError, QualysHttpError } from "../errors";
import type { RawResponse } from "../wire/classify-response";
import { AnswerCapExceeded, AnswerDecodingError, decodeBody, DEFAULT_MAX_ANSWER_BYTES } from "./answer-caps";
import type { ExchangeHook } from "./exchange-recorder";
import { type ConnectPhase, networkFailure, RequestTimeout } from "./network-failure";
import { PACKAGE_VERSION } from "../version";
import { redactHeaders, redactText } from "../redact";
import { summarizeRequest } from "../request-summary";
import type { AnswerCaps, QualysLogger, RequestSummary } from "../types";

/** One request to send. */
export interface HttpRequest {
  /** The call it belongs to (call-context.ts): every error of this request is built from it. */
  context: CallContext;
  method: "GET" | "POST";
  url: string;
  body?: string;
  /** Default `application/xml` when there is a body. */
  contentType?: string;
  /** Full `Authorization` header value; redacted in every summary and log line. */
  authorization?: string;
}

/** A response plus the call's context, now holding the redacted summary of the request sent. */
export interface HttpExchange extends RawResponse {
  context: CallContext & { request: RequestSummary };
}

export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpExchange>;
}

export interface HttpTransportOptions {
  /** Whole-request timeout, ms: from the start to the last byte of the answer (`qualys:timeoutMs`). */
  timeoutMs: number;
  /** Size caps of an answer; default `DEFAULT_MAX_ANSWER_BYTES` for both. */
  caps?: Partial<AnswerCaps>;
  logger?: QualysLogger;
  /** Literal secrets (credentialForms in redact.ts) to blank out of any text we log or throw. */
  secrets: readonly string[];
  /** Bound of each connecting phase, ms; default `CONNECT_TIMEOUT_MS`, never more than `timeoutMs`. */
  connectTimeoutMs?: number;
  /**
   * How host names are resolved (got's `dnsLookup`); default node's `dns.lookup`. The tests give
   * one that never answers, to prove the lookup phase's bound without leaving the machine.
   */
  lookup?: LookupFunction;
  /** Called once per request with the exchange (or the failure), e.g. `QUALYS_RECORD` (exchange-recorder.ts). */
  onExchange?: ExchangeHook;
}

/**
 * Bound of each connecting phase (DNS lookup, TCP connect, TLS handshake), ms. Connecting is fast
 * or not happening: a handshake with Qualys takes well under a second, and the kernel has re-sent
 * its SYN three times by 10 s. The answer itself may take tens of seconds (a 1000-key search),
 * which `timeoutMs` bounds.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/** got's module: ESM only (got 12 on), so loaded with `import()` from this CommonJS package. */
type GotModule = typeof import("got", { with: { "resolution-mode": "import" } });
let gotModule: Promise<GotModule> | undefined;

/**
 * got, loaded once per process. Node 20.19+ could `require()` it, but under this package's
 * `module: node16` TypeScript refuses a static import of an ES module from CommonJS (TS1479); a
 * dynamic import typechecks and works wherever the package runs: Node 20.19 to 24, the
 * dynamic-provider host that loads the package by name, and a bundle (esbuild inlines it).
 */
function loadGot(): Promise<GotModule> {
  gotModule ??= import("got");
  return gotModule;
}

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const userAgent = `pulumi-qualys/${PACKAGE_VERSION}`;
  const caps: AnswerCaps = {
    maxWireBytes: options.caps?.maxWireBytes ?? DEFAULT_MAX_ANSWER_BYTES,
    maxDecodedBytes: options.caps?.maxDecodedBytes ?? DEFAULT_MAX_ANSWER_BYTES,
  };
  const connectMs = Math.min(options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, options.timeoutMs);
  // got's phases (got documentation, "timeout"): `request` bounds the whole exchange, last body
  // byte included (a server that trickles its answer is cut too); each connecting phase gets the
  // short connect bound.
  const timeout = { lookup: connectMs, connect: connectMs, secureConnect: connectMs, request: options.timeoutMs };
  // One connection pool per client: a pulumi run makes hundreds of calls to one host, and a new
  // TCP (and TLS) handshake per call costs more than the call itself. At most 8 sockets: the
  // scheduler's gate keeps the real concurrency at the subscription's limit anyway.
  const agent = { http: new HttpAgent({ keepAlive: true, maxSockets: 8 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 8 }) };
  const debug = options.logger?.debug?.bind(options.logger);
  // Loading starts now, not on the first call: until the first answer arrives the scheduler lets
  // one call out, so a slow first call would hold back every key of the run.
  loadGot().catch(() => undefined); // a failure resurfaces, with its message, on the first request
  return {
    async send(req) {
      const headers: Record<string, string> = {
        // `Accept: text/xml` is reported to break QPS (docs/qualys-api.md, "Request wire details").
        accept: "*/*",
        // Asked for here and decompressed in answer-caps.ts within the cap, not by got (see there).
        "accept-encoding": "gzip",
        "x-requested-with": "pulumi-qualys",
        "user-agent": userAgent,
      };
      if (req.body !== undefined) {
        headers["content-type"] = req.contentType ?? "application/xml";
        headers["content-length"] = String(Buffer.byteLength(req.body));
      }
      if (req.authorization !== undefined) headers.authorization = req.authorization;
      const { operation, secrets } = req.context;
      const context = { ...req.context, request: summarizeRequest({ operation, method: req.method, url: req.url, headers }, secrets) };
      const { url } = context.request; // redacted: a log line shows the summary, never the raw request
      debug?.(`qualys ${operation} -> ${req.method} ${url} headers ${JSON.stringify(context.request.headers)}`);
      const tooLarge = (cap: AnswerCapExceeded): QualysAnswerTooLargeError =>
        new QualysAnswerTooLargeError(
          `Qualys ${operation} answered more than ${mebibytes(cap.limit)} ${cap.stage === "wire" ? "" : "once decompressed "}` +
            `from ${req.url}; stopped reading it. A Qualys page of 1000 keys is about 2 MB (plus about 250 bytes per registered agent), ` +
            `so this is most likely not a Qualys answer: check qualys:apiUrl / qualys:platform and any proxy. Not retried.`,
          { ...context, limit: cap.limit, unit: "bytes" },
        );
      let overCap: AnswerCapExceeded | undefined;
      let response;
      const { got, TimeoutError } = await loadGot();
      const record = options.onExchange;
      const sent = { operation, method: req.method, url: req.url, requestBody: req.body };
      try {
        const pending = got(req.url, {
          method: req.method,
          body: req.body,
          headers,
          timeout,
          retry: { limit: 0 },
          throwHttpErrors: false,
          followRedirect: false,
          decompress: false,
          responseType: "buffer",
          agent,
          dnsLookup: options.lookup,
        });
        // With decompress off, `transferred` counts the body's bytes as they come off the wire and
        // `total` is the announced Content-Length (its first report comes before any body byte).
        pending.on("downloadProgress", (progress: { transferred: number; total?: number }) => {
          if (overCap || Math.max(progress.transferred, progress.total ?? 0) <= caps.maxWireBytes) return;
          overCap = new AnswerCapExceeded("wire", caps.maxWireBytes);
          pending.cancel();
        });
        response = await pending;
      } catch (error) {
        // got's TimeoutError names the phase that ran out of time; it becomes our own.
        const cause = error instanceof TimeoutError ? timedOut(error.event, connectMs, options.timeoutMs) : error;
        const failure = overCap ? tooLarge(overCap) : networkFailure(cause, context, options.timeoutMs);
        record?.({ ...sent, error: failure.message });
        if (overCap) throw failure;
        debug?.(`qualys ${operation} <- no response from ${req.method} ${url}: ${failure.message}`);
        throw failure;
      }
      const responseHeaders = response.headers as Record<string, string | string[] | undefined>;
      let body: string;
      try {
        body = await decodeBody(response.body, headerText(responseHeaders["content-encoding"]), caps.maxDecodedBytes);
      } catch (error) {
        if (error instanceof AnswerCapExceeded || error instanceof AnswerDecodingError) record?.({ ...sent, status: response.statusCode, headers: responseHeaders, error: error.message });
        if (error instanceof AnswerCapExceeded) throw tooLarge(error);
        if (!(error instanceof AnswerDecodingError)) throw error;
        throw new QualysHttpError(
          `Qualys ${operation} got HTTP ${response.statusCode} from ${req.url} with ${error.message}. ` +
            `Check qualys:apiUrl / qualys:platform and any proxy; retry later if it persists.`,
          { ...context, statusCode: response.statusCode },
        );
      }
      // Header values are server text too (a Location may echo the request's credentials): each is
      // redacted before the headers are written as JSON, whose escaping would respell a secret.
      debug?.(
        redactText(
          `qualys ${operation} <- HTTP ${response.statusCode} ${req.method} ${req.url} (${response.body.length} bytes) ` +
            `headers ${JSON.stringify(redactHeaders(responseHeaders, options.secrets))}`,
          options.secrets,
        ),
      );
      record?.({ ...sent, status: response.statusCode, headers: responseHeaders, responseBody: body });
      return { statusCode: response.statusCode, headers: responseHeaders, body, context };
    },
  };
}

/** Our `RequestTimeout` for got's timeout `event`: a connecting phase, or the whole `request`. */
function timedOut(event: string, connectMs: number, timeoutMs: number): RequestTimeout {
  const phase = event as ConnectPhase | "request";
  return new RequestTimeout(phase, phase === "request" ? timeoutMs : connectMs);
}

/** A header's value as one string (node gives arrays only for headers that may repeat). */
function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${bytes} bytes`;
}
