/**
 * Turns one HTTP response of the agentactkey API into a parsed `ServiceResponse` or a typed error.
 * The body's `responseCode` decides first and the HTTP status second, because QPS answers most
 * errors (INVALID_REQUEST, INVALID_CREDENTIALS, UNAUTHORIZED, ...) with HTTP 200
 * (docs/qualys-api.md, "Responses and errors").
 */
import {
  QualysApiError,
  type QualysApiErrorDetails,
  QualysAuthError,
  QualysDuplicateTitleError,
  QualysHttpError,
  QualysKeyInUseError,
  QualysNotFoundError,
  QualysRateLimitError,
} from "../errors";
import type { CallContext } from "../call-context";
import { parseLimitHeaders } from "./parse-limit-headers";
import { quoteServerText } from "../redact";
import type { QualysOperation } from "../types";
import { parseServiceResponse, ServiceResponseFormatError, type ServiceResponse } from "./parse-service-response";

/** A response as the transport received it. */
export interface RawResponse {
  statusCode: number;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Returns the parsed response when it is a SUCCESS; throws the matching Qualys error otherwise,
 * built from `ctx` (the call's context, with the request sent). Server text goes into the errors
 * as received: their constructors redact it with `ctx.secrets` (errors.ts).
 */
export async function classifyResponse(res: RawResponse, ctx: CallContext): Promise<ServiceResponse> {
  let parsed: ServiceResponse | undefined;
  let formatProblem: string | undefined;
  try {
    parsed = await parseServiceResponse(res.body);
  } catch (error) {
    if (!(error instanceof ServiceResponseFormatError)) throw error;
    formatProblem = error.message;
  }
  if (parsed) {
    if (parsed.responseCode === "SUCCESS") return parsed;
    if (isLimitBlock(parsed, res)) throw rateLimitError(res, ctx);
    throw errorForResponseCode(parsed, res, ctx);
  }
  if (isBlockStatus(res.statusCode)) throw rateLimitError(res, ctx);
  if (res.statusCode === 401 || res.statusCode === 403) throw authError(`HTTP ${res.statusCode}`, ctx, res.statusCode);
  throw httpError(res, ctx, formatProblem ?? "an unreadable body");
}

function errorForResponseCode(parsed: ServiceResponse, res: RawResponse, ctx: CallContext): Error {
  const { responseCode: code, errorMessage, errorResolution } = parsed;
  const details: QualysApiErrorDetails = { ...ctx, statusCode: res.statusCode, responseCode: code, errorMessage, errorResolution };
  const message = `${errorMessage ?? ""} ${errorResolution ?? ""}`;
  switch (code) {
    case "CA_1001_DUPLICATE_KEY":
      return new QualysDuplicateTitleError(details);
    case "OBJECT_NOT_FOUND":
      return new QualysNotFoundError(details);
    case "INVALID_CREDENTIALS":
    case "UNAUTHORIZED":
    case "INSUFFICIENT_PERMISSION":
      return authError(errorMessage ? `${code} (${errorMessage})` : code, ctx, res.statusCode, code);
  }
  if (ctx.operation === "delete" && isKeyInUse(code, message)) return new QualysKeyInUseError(details);
  // QPS reports a missing or out-of-scope object as INVALID_REQUEST on some endpoints.
  if (code === "INVALID_REQUEST" && /not\s+found|does\s+not\s+exist|doesn't\s+exist|no\s+such/i.test(message)) {
    return new QualysNotFoundError(details);
  }
  return new QualysApiError(details);
}

/**
 * Answers that name a definite problem of their own, whatever the HTTP status: a duplicate title,
 * for one, may well come as 409 Conflict, and retrying it as a block would only repeat it.
 */
const DEFINITE_ERROR_CODES = new Set([
  "CA_1001_DUPLICATE_KEY",
  "OBJECT_NOT_FOUND",
  "INVALID_REQUEST",
  "INVALID_CREDENTIALS",
  "UNAUTHORIZED",
  "INSUFFICIENT_PERMISSION",
  "INVALID_API_VERSION",
  "EVALUATION_EXPIRED",
]);

/** Qualys's own codes for a blocked call: 1960 concurrency, 1965 rate. */
const BLOCK_CODE = /\b(1960|1965)\b/;

/** 409 from the API server, 429 from the gateway: the statuses of a blocked call. */
function isBlockStatus(statusCode: number): boolean {
  return statusCode === 409 || statusCode === 429;
}

/**
 * Whether a QPS error answer is the subscription's limit refusing the call
 * (docs/qualys-api.md, "Rate and concurrency limits"): LIMIT_EXCEEDED, or any code but a
 * definite one on a 409 / 429 or with code 1960 / 1965 in its message. The code a blocked call
 * carries is not documented, and a block read as final would fail an operation that only needed
 * to wait.
 */
function isLimitBlock(parsed: ServiceResponse, res: RawResponse): boolean {
  if (parsed.responseCode === "LIMIT_EXCEEDED") return true;
  if (DEFINITE_ERROR_CODES.has(parsed.responseCode)) return false;
  return isBlockStatus(res.statusCode) || BLOCK_CODE.test(parsed.errorMessage ?? "");
}

/**
 * A cheap look, before any parsing, at whether an answer could be a limit block: HTTP 409 / 429,
 * or a body that names LIMIT_EXCEEDED or code 1960 / 1965. False means it certainly is not one,
 * so the scheduler may free the call's concurrency slot while the body is still being parsed
 * (ResponseMeta.mayBeLimitBlock). A false "maybe" (a key id 1965) only keeps the slot a little longer.
 */
export function mayBeLimitBlock(res: Pick<RawResponse, "statusCode" | "body">): boolean {
  return isBlockStatus(res.statusCode) || res.body.includes("LIMIT_EXCEEDED") || BLOCK_CODE.test(res.body);
}

/** Delete refused while agents are still registered with the key (ca/api/keys/delete_key.htm). */
function isKeyInUse(code: string, message: string): boolean {
  if (/IN_USE/.test(code)) return true;
  return /agent/i.test(message) && /(registered|associated|attached|assigned|linked|in use|activated)/i.test(message);
}

const PERMISSION_BY_OPERATION: Record<QualysOperation, string> = {
  create: "CA Activation Key Create",
  get: "CA Activation Key View",
  search: "CA Activation Key View",
  update: "CA Activation Key Edit",
  delete: "CA Activation Key Delete",
  changeactkey: "Change Activation Key",
  auth: "API access",
};

function authError(what: string, ctx: CallContext, statusCode: number, responseCode?: string): QualysAuthError {
  return new QualysAuthError(
    `Qualys refused the ${ctx.operation} call: ${what}. Check qualys:username / qualys:password ` +
      `(QUALYS_USERNAME / QUALYS_PASSWORD), and that the account has API access and the ` +
      `"${PERMISSION_BY_OPERATION[ctx.operation]}" permission (each operation needs its own CA Activation Key permission). ` +
      `With qualys:authMode jwt also check qualys:gatewayUrl / qualys:platform.`,
    { ...ctx, statusCode, responseCode },
  );
}

/**
 * The wait a classic API 409 body states when no header does: `<SIMPLE_RETURN>...<ITEM><KEY>
 * SECONDS_TO_WAIT</KEY><VALUE>68928</VALUE></ITEM>` (docs/qualys-api.md, "Blocked answers: 409 and
 * 429").
 */
function secondsToWaitInBody(body: string): number | undefined {
  const value = /<KEY>\s*SECONDS_TO_WAIT\s*<\/KEY>\s*<VALUE>\s*(\d+)\s*<\/VALUE>/i.exec(body)?.[1];
  return value === undefined ? undefined : Number(value);
}

/**
 * 409 (API server, body code 1960 concurrency / 1965 rate) or 429 (gateway). Without a body code
 * the headers tell: a full concurrency slot count with no ToWait means a concurrency block. The
 * wait is the ToWait header's, else the SECONDS_TO_WAIT of a classic body, so the scheduler waits
 * what the server asked instead of guessing a backoff.
 */
function rateLimitError(res: RawResponse, ctx: CallContext): QualysRateLimitError {
  const limits = parseLimitHeaders(res.headers);
  const toWaitSec = limits.toWaitSec ?? secondsToWaitInBody(res.body);
  const blockCode = BLOCK_CODE.exec(res.body)?.[1];
  let kind: "rate" | "concurrency" = "rate";
  if (blockCode) kind = blockCode === "1960" ? "concurrency" : "rate";
  else if (
    toWaitSec === undefined &&
    limits.concurrencyLimit !== undefined &&
    limits.concurrencyRunning !== undefined &&
    limits.concurrencyRunning >= limits.concurrencyLimit
  ) {
    kind = "concurrency";
  }
  return new QualysRateLimitError({
    ...ctx,
    kind,
    limit: kind === "concurrency" ? limits.concurrencyLimit : limits.rateLimit,
    windowSec: kind === "rate" ? limits.windowSec : undefined,
    remaining: limits.remaining,
    toWaitSec,
    statusCode: res.statusCode,
  });
}

/** How much of a redirect's Location the message quotes. */
const LOCATION_LENGTH = 200;

function httpError(res: RawResponse, ctx: CallContext, problem: string): QualysHttpError {
  const location = res.headers.location;
  // Quoted, not only redacted: cut to a length, which must not cut a secret in two.
  const redirect =
    res.statusCode >= 300 && res.statusCode < 400 && location
      ? ` It redirects to ${quoteServerText(String(location), LOCATION_LENGTH, ctx.secrets)}: check qualys:apiUrl / qualys:platform.`
      : "";
  // The error quotes the body's start itself ("Body starts: ..."); an empty one is said here.
  return new QualysHttpError(
    `Qualys ${ctx.operation} got HTTP ${res.statusCode} with ${problem}, not a Qualys API answer ` +
      `(a proxy, load balancer or outage page may have answered).${redirect}` +
      (/\S/.test(res.body) ? "" : " The body was empty."),
    { ...ctx, statusCode: res.statusCode, body: res.body },
  );
}
