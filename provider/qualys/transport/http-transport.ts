/**
 * Sends one HTTP request with node:http(s) and hands back status, headers and body. It never
 * retries (retries belong to the scheduler, issue 4, and a create must never be re-sent blindly),
 * never follows a redirect (it would re-send credentials elsewhere; classify-response.ts reports
 * it) and never throws on an HTTP status (QPS puts errors in 200 bodies, so classify-response.ts
 * decides). It throws `QualysNetworkError` when no answer came (network-failure.ts) and
 * `QualysAnswerTooLargeError` when the answer passes the size caps (answer-caps.ts).
 *
 * Written on node:http rather than got (issue 12): this is one request with a whole-exchange
 * timeout, connect-phase timeouts and a size cap, and got spent more CPU than the rest of the
 * call put together: 87 ms to load (once per provider process, 0.4 ms a key on a 200-key run)
 * and about 0.35 ms a request in option merging, hooks and stream plumbing (bench, README
 * "Provider CPU").
 */
import { request as httpRequest, Agent as HttpAgent, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest, Agent as HttpsAgent } from "node:https";
import { isIP, type Socket } from "node:net";
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

/** The exchange as node:http delivered it, before decoding. */
interface WireAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const userAgent = `pulumi-qualys/${PACKAGE_VERSION}`;
  const caps: AnswerCaps = {
    maxWireBytes: options.caps?.maxWireBytes ?? DEFAULT_MAX_ANSWER_BYTES,
    maxDecodedBytes: options.caps?.maxDecodedBytes ?? DEFAULT_MAX_ANSWER_BYTES,
  };
  const limits: ExchangeLimits = { timeoutMs: options.timeoutMs, connectMs: Math.min(options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, options.timeoutMs), maxWireBytes: caps.maxWireBytes };
  // One connection pool per client: a pulumi run makes hundreds of calls to one host, and a new
  // TCP (and TLS) handshake per call costs more than the call itself. At most 8 sockets: the
  // scheduler's gate keeps the real concurrency at the subscription's limit anyway.
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 8 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 8 }) };
  const debug = options.logger?.debug?.bind(options.logger);
  return {
    async send(req) {
      const headers: Record<string, string> = {
        // `Accept: text/xml` is reported to break QPS (docs/qualys-api.md, "Request wire details").
        accept: "*/*",
        // Asked for here and decompressed in answer-caps.ts within the cap.
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
      const record = options.onExchange;
      const sent = { operation, method: req.method, url: req.url, requestBody: req.body };
      let answer: WireAnswer;
      try {
        answer = await exchange(req, headers, agents, limits);
      } catch (error) {
        const failure = error instanceof AnswerCapExceeded ? tooLarge(error) : networkFailure(error, context, options.timeoutMs);
        record?.({ ...sent, error: failure.message });
        if (error instanceof AnswerCapExceeded) throw failure;
        debug?.(`qualys ${operation} <- no response from ${req.method} ${url}: ${failure.message}`);
        throw failure;
      }
      let body: string;
      try {
        body = await decodeBody(answer.body, headerText(answer.headers["content-encoding"]), caps.maxDecodedBytes);
      } catch (error) {
        if (error instanceof AnswerCapExceeded || error instanceof AnswerDecodingError) record?.({ ...sent, status: answer.statusCode, headers: answer.headers, error: error.message });
        if (error instanceof AnswerCapExceeded) throw tooLarge(error);
        if (!(error instanceof AnswerDecodingError)) throw error;
        throw new QualysHttpError(
          `Qualys ${operation} got HTTP ${answer.statusCode} from ${req.url} with ${error.message}. ` +
            `Check qualys:apiUrl / qualys:platform and any proxy; retry later if it persists.`,
          { ...context, statusCode: answer.statusCode },
        );
      }
      // Header values are server text too (a Location may echo the request's credentials).
      debug?.(
        redactText(
          `qualys ${operation} <- HTTP ${answer.statusCode} ${req.method} ${req.url} (${answer.body.length} bytes) ` +
            `headers ${JSON.stringify(redactHeaders(answer.headers))}`,
          options.secrets,
        ),
      );
      record?.({ ...sent, status: answer.statusCode, headers: answer.headers, responseBody: body });
      return { statusCode: answer.statusCode, headers: answer.headers, body, context };
    },
  };
}

interface ExchangeLimits {
  timeoutMs: number;
  connectMs: number;
  maxWireBytes: number;
}

/**
 * One request and its whole answer, or a rejection: a `RequestTimeout` (a connecting phase or the
 * whole exchange ran out of time), an `AnswerCapExceeded` (the answer announced or sent more than
 * the cap; reading stops there), or node's own network error (ECONNREFUSED, ENOTFOUND, a TLS
 * verification code, ECONNRESET). Every path destroys the request, so no socket is left reading.
 */
function exchange(req: HttpRequest, headers: Record<string, string>, agents: { http: HttpAgent; https: HttpsAgent }, limits: ExchangeLimits): Promise<WireAnswer> {
  return new Promise<WireAnswer>((resolve, reject) => {
    const url = new URL(req.url);
    const https = url.protocol === "https:";
    const request: ClientRequest = (https ? httpsRequest : httpRequest)(url, { method: req.method, headers, agent: https ? agents.https : agents.http });
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const finish = (error: Error | undefined, answer?: WireAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(wholeTimer);
      clearTimeout(connectTimer);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(answer!);
    };
    const wholeTimer = setTimeout(() => finish(new RequestTimeout("request", limits.timeoutMs)), limits.timeoutMs);
    request.on("error", (error) => finish(error));
    request.on("socket", (socket: Socket) => {
      if (!socket.connecting) return; // a kept-alive connection: nothing to connect
      // The phases follow one another on a new connection; each gets its own bound.
      const phase = (name: ConnectPhase): void => {
        clearTimeout(connectTimer);
        connectTimer = setTimeout(() => finish(new RequestTimeout(name, limits.connectMs)), limits.connectMs);
      };
      phase(isIP(url.hostname.replace(/^\[|\]$/g, "")) ? "connect" : "lookup");
      socket.once("lookup", () => phase("connect"));
      socket.once("connect", () => (https ? phase("secureConnect") : clearTimeout(connectTimer)));
      if (https) socket.once("secureConnect", () => clearTimeout(connectTimer));
    });
    request.on("response", (response: IncomingMessage) => {
      const announced = Number(response.headers["content-length"]);
      if (announced > limits.maxWireBytes) return finish(new AnswerCapExceeded("wire", limits.maxWireBytes));
      const chunks: Buffer[] = [];
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > limits.maxWireBytes) return finish(new AnswerCapExceeded("wire", limits.maxWireBytes));
        chunks.push(chunk);
      });
      response.on("error", (error) => finish(error));
      response.on("end", () => finish(undefined, { statusCode: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks, received) }));
      // A connection closed before the last byte: no answer, as for a reset.
      response.on("close", () => {
        if (!response.complete) finish(Object.assign(new Error("the connection closed before the answer was complete"), { code: "ECONNRESET" }));
      });
    });
    request.end(req.body);
  });
}

/** A header's value as one string (node gives arrays only for headers that may repeat). */
function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

function mebibytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${bytes} bytes`;
}
