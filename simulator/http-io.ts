/** Small node:http helpers shared by the QPS, auth and admin routes. */
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The largest request body any route accepts. It is checked while the body arrives — before it
 * is parsed and before the caller is authenticated — so an anonymous caller cannot make the
 * simulator buffer or parse more than this (HTTP 413 instead).
 *
 * Why 1 MiB: the largest real requests are a create or update carrying a key's whole tag list and
 * a search filtering on a long IN list. A create with 1000 tags of 255-character names is ~300 KB
 * (tests/simulator/hardening.test.ts sends one) and an IN filter of 1000 key ids ~8 KB; the admin
 * API's JSON bodies are smaller still. 1 MiB is over three times the largest of them.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * The most bytes of request bodies one simulator holds at once, over all connections. Bodies are
 * buffered before the caller is authenticated, so without it anonymous callers that stall their
 * bodies just under MAX_REQUEST_BODY_BYTES grew the process without limit (300 of them: +300 MB).
 * 16 MiB is sixteen of the largest bodies at once; the provider sends at most a few KB per call,
 * two calls at a time.
 */
export const MAX_BUFFERED_BODY_BYTES = 16 * 1024 * 1024;

/** Bytes of request bodies held now, by one server; a body gives its bytes back when it is done. */
export class BodyBudget {
  private held = 0;

  constructor(private readonly maxBytes = MAX_BUFFERED_BODY_BYTES) {}

  /** Takes `bytes` if the budget has them. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.maxBytes) return false;
    this.held += bytes;
    return true;
  }

  giveBack(bytes: number): void {
    this.held -= bytes;
  }
}

/** A body, or the news that it is larger than allowed or that the server holds too many (nothing more of it is kept). */
type BodyRead = { ok: true; text: string } | { ok: false; reason: "too-large" | "busy" };

/**
 * The request body as text, unless it is larger than `maxBytes` or `budget` has no room for it: a
 * larger Content-Length is refused before a byte is read, and a body without one is refused as
 * soon as it passes the cap. The rest of a refused body is read and discarded by node, never stored.
 */
export function readBody(request: IncomingMessage, budget: BodyBudget, maxBytes = MAX_REQUEST_BODY_BYTES): Promise<BodyRead> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ ok: false, reason: "too-large" });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("close", onClose);
      budget.giveBack(size);
    };
    const refuse = (reason: "too-large" | "busy"): void => {
      stop();
      chunks.length = 0;
      resolve({ ok: false, reason });
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > maxBytes) return refuse("too-large");
      if (!budget.take(chunk.length)) return refuse("busy");
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") });
    };
    const onClose = (): void => {
      stop();
      reject(new Error("The client closed the connection before sending the whole request body."));
    };
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("close", onClose);
  });
}

/**
 * The answer to a refused body, and the connection closed after it: HTTP 413 for a body over
 * MAX_REQUEST_BODY_BYTES, HTTP 503 while the server holds MAX_BUFFERED_BODY_BYTES of bodies.
 */
export function sendBodyRefused(response: ServerResponse, reason: "too-large" | "busy"): void {
  response.writeHead(reason === "busy" ? 503 : 413, { "Content-Type": "text/plain;charset=UTF-8", Connection: "close", ...(reason === "busy" ? { "Retry-After": "1" } : {}) });
  response.end(
    reason === "busy"
      ? `The simulator holds ${MAX_BUFFERED_BODY_BYTES} bytes of request bodies already; send this request again when others are done.`
      : `Request body too large: the simulator accepts at most ${MAX_REQUEST_BODY_BYTES} bytes per request.`,
  );
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(value));
}

export function sendText(response: ServerResponse, status: number, text: string, contentType = "text/plain;charset=UTF-8"): void {
  response.writeHead(status, { "Content-Type": contentType });
  response.end(text);
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
