/**
 * Sends one HTTP request with got and hands back status, headers and body. It never retries
 * (`retry.limit: 0`: retries belong to the scheduler, issue 4, and a create must never be
 * re-sent blindly) and never throws on an HTTP status (`throwHttpErrors: false`: QPS puts errors
 * in 200 bodies, so classify-response.ts decides). It throws `QualysNetworkError` when no answer
 * came (network-failure.ts) and `QualysAnswerTooLargeError` when the answer passes the size caps
 * (answer-caps.ts).
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { QualysAnswerTooLargeError, QualysHttpError } from "../errors";
import type { RawResponse } from "../wire/classify-response";
import { AnswerCapExceeded, AnswerDecodingError, decodeBody, DEFAULT_MAX_ANSWER_BYTES } from "./answer-caps";
import { networkFailure } from "./network-failure";
import { packageVersion } from "./package-version";
import { redactHeaders, redactText } from "../redact";
import type { AnswerCaps, QualysLogger, QualysOperation, RequestSummary } from "../types";

/** One request to send. */
export interface HttpRequest {
  operation: QualysOperation;
  method: "GET" | "POST";
  url: string;
  body?: string;
  /** Default `application/xml` when there is a body. */
  contentType?: string;
  /** Full `Authorization` header value; redacted in every summary and log line. */
  authorization?: string;
  /** What the call was about, copied into a network error. */
  keyId?: number;
  title?: string;
}

/** A response plus the redacted summary of the request that produced it. */
export interface HttpExchange extends RawResponse {
  request: RequestSummary;
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
}

/**
 * Bound of each connecting phase (DNS lookup, TCP connect, TLS handshake; got's `timeout` phases),
 * ms. Connecting is fast or not happening: a handshake with Qualys takes well under a second, and
 * the kernel has re-sent its SYN three times by 10 s. The answer itself may take tens of seconds
 * (a 1000-key search), which `timeoutMs` bounds.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

type GotFunction = (typeof import("got", { with: { "resolution-mode": "import" } }))["got"];
let gotLoader: Promise<GotFunction> | undefined;

/** got v14 is ESM-only: load it once with a dynamic import (kept as import() by module node16). */
function loadGot(): Promise<GotFunction> {
  gotLoader ??= import("got").then((m) => m.got);
  return gotLoader;
}

/**
 * Starts loading got ahead of the first request. The provider calls it from configure(): until
 * the first answer arrives, the scheduler lets only one call out, so a slow first call (module
 * loading included) delays every key of the run.
 */
export function preloadHttpClient(): void {
  loadGot().catch(() => undefined); // a failure resurfaces, with its message, on the first request
}

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const userAgent = `pulumi-qualys/${packageVersion()}`;
  const caps: AnswerCaps = {
    maxWireBytes: options.caps?.maxWireBytes ?? DEFAULT_MAX_ANSWER_BYTES,
    maxDecodedBytes: options.caps?.maxDecodedBytes ?? DEFAULT_MAX_ANSWER_BYTES,
  };
  const connectMs = Math.min(CONNECT_TIMEOUT_MS, options.timeoutMs);
  // One connection pool per client: a pulumi run makes hundreds of calls to one host, and a new
  // TCP (and TLS) handshake per call costs more than the call itself. At most 8 sockets: the
  // scheduler's gate keeps the real concurrency at the subscription's limit anyway.
  const agent = { http: new HttpAgent({ keepAlive: true, maxSockets: 8 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 8 }) };
  return {
    async send(req) {
      const headers: Record<string, string> = {
        // `Accept: text/xml` is reported to break QPS (qualys-agentactkey-api.md, "Wire details").
        accept: "*/*",
        // Asked for here and decompressed in answer-caps.ts within the cap: got's own decompression
        // (decompress: true) would inflate a gzip bomb without any bound.
        "accept-encoding": "gzip",
        "x-requested-with": "pulumi-qualys",
        "user-agent": userAgent,
      };
      if (req.body !== undefined) headers["content-type"] = req.contentType ?? "application/xml";
      if (req.authorization !== undefined) headers.authorization = req.authorization;
      const request: RequestSummary = {
        operation: req.operation,
        method: req.method,
        url: req.url,
        headers: redactHeaders(headers),
      };
      options.logger?.debug(`qualys ${req.operation} -> ${req.method} ${req.url} headers ${JSON.stringify(request.headers)}`);
      const got = await loadGot();
      let overCap: AnswerCapExceeded | undefined;
      const tooLarge = (cap: AnswerCapExceeded): QualysAnswerTooLargeError =>
        new QualysAnswerTooLargeError(
          `Qualys ${req.operation} answered more than ${mebibytes(cap.limit)} ${cap.stage === "wire" ? "" : "once decompressed "}` +
            `from ${req.url}; stopped reading it. A Qualys page of 1000 keys is about 2 MB (plus about 250 bytes per registered agent), ` +
            `so this is most likely not a Qualys answer: check qualys:apiUrl / qualys:platform and any proxy. Not retried.`,
          { operation: req.operation, keyId: req.keyId, title: req.title, request, limit: cap.limit, unit: "bytes" },
        );
      let response;
      try {
        const pending = got(req.url, {
          method: req.method,
          body: req.body,
          headers,
          // `request` bounds the whole exchange, last body byte included (a server that trickles
          // its answer is cut too); the connecting phases get a short bound of their own.
          timeout: { lookup: connectMs, connect: connectMs, secureConnect: connectMs, request: options.timeoutMs },
          retry: { limit: 0 },
          throwHttpErrors: false,
          // A redirect would re-send credentials somewhere else; report it instead (classify-response.ts).
          followRedirect: false,
          decompress: false,
          responseType: "buffer",
          agent,
        });
        // `total` is the announced Content-Length, `transferred` the body bytes read so far (got
        // counts them before any decompression since decompress is off): stop at the cap.
        pending.on("downloadProgress", (progress: { transferred: number; total?: number }) => {
          if (!overCap && Math.max(progress.transferred, progress.total ?? 0) > caps.maxWireBytes) {
            overCap = new AnswerCapExceeded("wire", caps.maxWireBytes);
            pending.cancel();
          }
        });
        response = await pending;
      } catch (error) {
        if (overCap) throw tooLarge(overCap);
        const failure = networkFailure(error, { operation: req.operation, request, keyId: req.keyId, title: req.title, timeoutMs: options.timeoutMs }, options.secrets);
        options.logger?.debug(`qualys ${req.operation} <- no response from ${req.method} ${req.url}: ${failure.message}`);
        throw failure;
      }
      const responseHeaders = response.headers as Record<string, string | string[] | undefined>;
      let body: string;
      try {
        body = await decodeBody(response.body, response.headers["content-encoding"], caps.maxDecodedBytes);
      } catch (error) {
        if (error instanceof AnswerCapExceeded) throw tooLarge(error);
        if (!(error instanceof AnswerDecodingError)) throw error;
        throw new QualysHttpError(
          `Qualys ${req.operation} got HTTP ${response.statusCode} from ${req.url} with ${error.message}. ` +
            `Check qualys:apiUrl / qualys:platform and any proxy; retry later if it persists.`,
          { operation: req.operation, keyId: req.keyId, title: req.title, request, statusCode: response.statusCode },
        );
      }
      // Header values are server text too (a Location may echo the request's credentials).
      options.logger?.debug(
        redactText(
          `qualys ${req.operation} <- HTTP ${response.statusCode} ${req.method} ${req.url} (${response.body.length} bytes) ` +
            `headers ${JSON.stringify(redactHeaders(responseHeaders))}`,
          options.secrets,
        ),
      );
      return { statusCode: response.statusCode, headers: responseHeaders, body, request };
    },
  };
}

function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${bytes} bytes`;
}
