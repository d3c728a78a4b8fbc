/**
 * Sends one HTTP request with got (its stream interface: `exchange`) and hands back status,
 * headers and body. It never retries
 * (`retry.limit: 0`: retries belong to the scheduler, issue 4, and a create must never be
 * re-sent blindly) and never throws on an HTTP status (`throwHttpErrors: false`: QPS puts errors
 * in 200 bodies, so classify-response.ts decides). Only a missing response throws, as
 * `QualysNetworkError`.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { QualysNetworkError } from "../errors";
import type { RawResponse } from "../wire/classify-response";
import { packageVersion } from "./package-version";
import { redactHeaders, redactText } from "../redact";
import type { QualysLogger, QualysOperation, RequestSummary } from "../types";

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
  /** Per-request timeout, ms. */
  timeoutMs: number;
  logger?: QualysLogger;
  /** Literal secrets (the password) to blank out of any text we log or throw. */
  secrets: readonly string[];
}

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
  // One connection pool per client: a pulumi run makes hundreds of calls to one host, and a new
  // TCP (and TLS) handshake per call costs more than the call itself. At most 8 sockets: the
  // scheduler's gate keeps the real concurrency at the subscription's limit anyway.
  const agent = { http: new HttpAgent({ keepAlive: true, maxSockets: 8 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 8 }) };
  return {
    async send(req) {
      const headers: Record<string, string> = {
        // `Accept: text/xml` is reported to break QPS (qualys-agentactkey-api.md, "Wire details").
        accept: "*/*",
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
      try {
        const response = await exchange(got, req.url, {
          method: req.method,
          body: req.body,
          headers,
          timeout: { request: options.timeoutMs },
          retry: { limit: 0 },
          throwHttpErrors: false,
          // A redirect would re-send credentials somewhere else; report it instead (classify-response.ts).
          followRedirect: false,
          agent,
        });
        options.logger?.debug(
          `qualys ${req.operation} <- HTTP ${response.statusCode} ${req.method} ${req.url} (${response.body.length} bytes) ` +
            `headers ${JSON.stringify(redactHeaders(response.headers))}`,
        );
        return { ...response, request };
      } catch (error) {
        const networkCode = networkCodeOf(error);
        const reason = redactText(error instanceof Error ? error.message : String(error), options.secrets);
        options.logger?.debug(`qualys ${req.operation} <- no response from ${req.method} ${req.url}: ${networkCode} ${reason}`);
        throw new QualysNetworkError(
          `Qualys ${req.operation} got no response from ${new URL(req.url).origin} (${networkCode}: ${reason}). ` +
            `Check the network path to qualys:apiUrl / qualys:platform, a proxy, or raise qualys:timeoutMs.`,
          { operation: req.operation, keyId: req.keyId, title: req.title, request, networkCode, cause: error },
        );
      }
    },
  };
}

type StreamOptions = import("got", { with: { "resolution-mode": "import" } }).OptionsInit & { isStream?: true };

/**
 * One exchange through got's stream interface, the body collected here. got's promise interface
 * wraps the same request in more layers and cost about 0.4 ms more CPU per call (issue 12,
 * measured side by side: 0.85 against 0.44 ms), more than all of our own work on a call.
 */
function exchange(got: GotFunction, url: string, options: StreamOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const stream = got.stream(url, options);
    const chunks: Buffer[] = [];
    let head: Omit<RawResponse, "body"> | undefined;
    stream.on("response", (response: Omit<RawResponse, "body">) => (head = response));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      if (head) resolve({ statusCode: head.statusCode, headers: head.headers, body: Buffer.concat(chunks).toString("utf8") });
      else reject(new Error("the connection ended before a response"));
    });
    stream.on("error", reject);
  });
}

/** got's error code (ECONNRESET, ETIMEDOUT for its TimeoutError, ECONNREFUSED, ENOTFOUND, ...). */
function networkCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "ERR_NETWORK";
}
