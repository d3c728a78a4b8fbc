/**
 * The error hierarchy of pulumi-qualys. Every error has a stable string `code` (documented in the
 * README's troubleshooting table), the `operation` it belongs to, and, where one was sent, a
 * `request` summary whose Authorization header is redacted.
 *
 * Redaction is part of construction, as in octokit's `RequestError`: callers pass raw material
 * (server text, the request as sent, node's error) with the call's `secrets`, and the constructors
 * blank every credential out of the message, each text field, the request and the cause. No
 * caller can forget it, and no error ever holds a password, a Basic header or a token.
 *
 * Qualys answers most errors with HTTP 200 and a `responseCode` in the body
 * (docs/qualys-api.md, "Responses and errors"), so the classes below are chosen
 * by `classify-response.ts` from the body first and the HTTP status second.
 */
import { withSuggestion } from "./closest-name";
import { quoteServerText, redactText, sanitizedCause } from "./redact";
import { summarizeRequest } from "./request-summary";
import { KNOWN_LICENSES, type QualysOperation, type RequestSummary } from "./types";

/** Stable codes: match on these, never on message text. */
export type QualysErrorCode =
  | "QUALYS_API_ERROR"
  | "QUALYS_AUTH_FAILED"
  | "QUALYS_NOT_FOUND"
  | "QUALYS_DUPLICATE_TITLE"
  | "QUALYS_KEY_IN_USE"
  | "QUALYS_MODULES_NOT_LICENSED"
  | "QUALYS_RATE_LIMITED"
  | "QUALYS_HTTP_ERROR"
  | "QUALYS_NETWORK_ERROR"
  | "QUALYS_CONFIG_ERROR"
  | "QUALYS_POLICY_CONFIG_ERROR"
  | "QUALYS_INVALID_INPUT"
  | "QUALYS_ANSWER_TOO_LARGE"
  | "QUALYS_UNREADABLE_KEY";

/** What an error is about. A call builds it once (call-context.ts) and every layer adds to it. */
export interface QualysErrorContext {
  operation?: QualysOperation;
  /** The Qualys key id the call was about, when known. */
  keyId?: number;
  /** The key title the call was about, when known. */
  title?: string;
  /** The request sent; the error keeps a redacted copy (request-summary.ts), whatever it is given. */
  request?: RequestSummary;
  /** HTTP status, when a response arrived. */
  statusCode?: number;
  /**
   * The lower-level error. A `QualysError` is kept as it is (it was redacted when built); any other
   * is kept as a sanitized copy (redact.ts `sanitizedCause`): an HTTP client's error may hold the
   * request with its raw Authorization header.
   */
  cause?: unknown;
  /**
   * Literal secrets (redact.ts `credentialForms`) to blank out of the message, the text fields, the
   * request and the cause. Read while the error is built, never kept on it.
   */
  secrets?: readonly string[];
}

/** Base class: `instanceof QualysError` catches everything this package throws on purpose. */
export class QualysError extends Error {
  readonly code: QualysErrorCode;
  readonly operation?: QualysOperation;
  readonly keyId?: number;
  readonly title?: string;
  readonly request?: RequestSummary;
  readonly statusCode?: number;

  constructor(code: QualysErrorCode, message: string, context: QualysErrorContext = {}) {
    const secrets = context.secrets ?? [];
    const cause = context.cause === undefined || context.cause instanceof QualysError ? context.cause : sanitizedCause(context.cause, secrets);
    super(redactText(message, secrets), cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.operation = context.operation;
    this.keyId = context.keyId;
    this.title = redacted(context.title, context);
    this.request = context.request === undefined ? undefined : summarizeRequest(context.request, secrets);
    this.statusCode = context.statusCode;
  }
}

/**
 * The text an adapter hands the engine for `error`: a QualysError's message led by its stable code
 * (`QUALYS_DUPLICATE_TITLE: …`), once. The engine shows users only message text, never the error
 * object, so the code users match on must be in it. Any other error's message goes as it is.
 */
export function engineText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof QualysError) || message.startsWith(`${error.code}: `)) return message;
  return `${error.code}: ${message}`;
}

/** `text` with credentials blanked out (redact.ts), for an error's text fields. */
function redacted<T extends string | undefined>(text: T, context: QualysErrorContext): T {
  return (text === undefined ? text : redactText(text, context.secrets ?? [])) as T;
}

export interface QualysApiErrorDetails extends QualysErrorContext {
  responseCode: string;
  errorMessage?: string;
  errorResolution?: string;
}

/**
 * The server processed the call and refused it with a `responseCode` other than SUCCESS. The
 * details are server text, as received: they are redacted before `describe` words the message,
 * because wording can reshape a secret (`sentence` drops a trailing period) past recognition.
 */
export class QualysApiError extends QualysError {
  readonly responseCode: string;
  readonly errorMessage?: string;
  readonly errorResolution?: string;

  constructor(details: QualysApiErrorDetails, code: QualysErrorCode = "QUALYS_API_ERROR", describe: (details: QualysApiErrorDetails) => string = describeApiError) {
    const clean: QualysApiErrorDetails = {
      ...details,
      responseCode: redacted(details.responseCode, details),
      errorMessage: redacted(details.errorMessage, details),
      errorResolution: redacted(details.errorResolution, details),
      title: redacted(details.title, details),
    };
    super(code, describe(clean), clean);
    this.responseCode = clean.responseCode;
    this.errorMessage = clean.errorMessage;
    this.errorResolution = clean.errorResolution;
  }
}

/**
 * `CA_1001_DUPLICATE_KEY`: titles are unique per subscription. The way out depends on the call:
 * `adopt: true` only acts on create, so a rename onto a taken title gets other advice. On create
 * the likeliest owner of the title is this very stack: a run interrupted after Qualys committed
 * the create (Ctrl-C, a killed CI job) never recorded the key in state, so the next run's create
 * meets its own key (issue 11).
 */
export class QualysDuplicateTitleError extends QualysApiError {
  constructor(details: QualysApiErrorDetails) {
    const fix =
      details.operation === "update"
        ? "choose another title, or rename or delete the key that has it first."
        : "if an earlier run was interrupted after sending this create, the key with this title may be the very " +
          "key it created: set adopt: true to take it over (it is then updated to this declaration). " +
          "Otherwise choose another title.";
    super(details, "QUALYS_DUPLICATE_TITLE", (clean) => `${sentence(describeApiError(clean))} Titles are unique in a subscription: ${fix}`);
  }
}

/** The key does not exist, or exists outside the user's scope (Qualys answers both the same way). */
export class QualysNotFoundError extends QualysApiError {
  constructor(details: QualysApiErrorDetails) {
    super(details, "QUALYS_NOT_FOUND");
  }
}

/**
 * Delete refused because agents are still registered with the key. `fix` replaces the generic
 * advice where the caller knows better (the lifecycle core names the `successorKeyId` input).
 */
export class QualysKeyInUseError extends QualysApiError {
  constructor(details: QualysApiErrorDetails, fix?: string) {
    super(
      details,
      "QUALYS_KEY_IN_USE",
      (clean) =>
        `${sentence(describeApiError(clean))} ` +
        (fix ??
          `Agents are still registered with this key: move them to another ` +
            `key first (Cloud Agent UI, or POST /qps/rest/1.0/cak/ca/changeactkey/), or uninstall them, ` +
            `then run the command again.`),
    );
  }
}

/** Credentials refused: INVALID_CREDENTIALS, UNAUTHORIZED, INSUFFICIENT_PERMISSION, or HTTP 401/403. */
export class QualysAuthError extends QualysError {
  readonly responseCode?: string;
  constructor(message: string, context: QualysErrorContext & { responseCode?: string } = {}) {
    super("QUALYS_AUTH_FAILED", message, context);
    this.responseCode = redacted(context.responseCode, context);
  }
}

/** What the server said about its limits when it blocked a call. */
export interface RateLimitDetails extends QualysErrorContext {
  /** `rate`: calls per window used up; `concurrency`: too many calls at once. */
  kind: "rate" | "concurrency";
  limit?: number;
  windowSec?: number;
  remaining?: number;
  /** `X-RateLimit-ToWait-Sec`; missing on some first blocked responses. */
  toWaitSec?: number;
  /** Why we gave up (set when retries are exhausted), e.g. "the wait exceeds qualys:maxWaitSec". */
  reason?: string;
}

/** A call blocked by the subscription's rate or concurrency limit (HTTP 409 or 429). */
export class QualysRateLimitError extends QualysError {
  readonly kind: "rate" | "concurrency";
  readonly limit?: number;
  readonly windowSec?: number;
  readonly remaining?: number;
  readonly toWaitSec?: number;

  constructor(details: RateLimitDetails) {
    super("QUALYS_RATE_LIMITED", describeRateLimit(details), details);
    this.kind = details.kind;
    this.limit = details.limit;
    this.windowSec = details.windowSec;
    this.remaining = details.remaining;
    this.toWaitSec = details.toWaitSec;
  }
}

/** Length of the body quoted in a `QualysHttpError`. */
const SNIPPET_LENGTH = 200;

/** A response that is not a Qualys XML answer: an HTML page from a proxy, a bare 5xx, a cut body. */
export class QualysHttpError extends QualysError {
  /** The start of the body, redacted, for troubleshooting; undefined when there is none to show. */
  readonly bodySnippet?: string;
  /**
   * `context.body`: the answer's body as received, to quote. Its start (redacted before it is cut,
   * redact.ts `quoteServerText`) becomes `bodySnippet` and ends the message as "Body starts: ...".
   */
  constructor(message: string, context: QualysErrorContext & { body?: string } = {}) {
    const snippet = context.body === undefined ? "" : quoteServerText(context.body, SNIPPET_LENGTH, context.secrets ?? []);
    super("QUALYS_HTTP_ERROR", snippet ? `${message} Body starts: ${snippet}` : message, context);
    this.bodySnippet = snippet || undefined;
  }
}

/** No response at all: connection reset, refused, DNS failure or timeout. */
export class QualysNetworkError extends QualysError {
  /** A node error code such as ECONNRESET, ECONNREFUSED or a TLS code; ETIMEDOUT for a timeout. */
  readonly networkCode?: string;
  /**
   * False when the request certainly never reached the server: the connection was refused, the
   * host name did not resolve, the TLS certificate was refused, or connecting timed out. True
   * (the default) when it may have been received and processed, only the answer lost.
   */
  readonly requestSent: boolean;
  constructor(message: string, context: QualysErrorContext & { networkCode?: string; requestSent?: boolean } = {}) {
    super("QUALYS_NETWORK_ERROR", message, context);
    this.networkCode = context.networkCode;
    this.requestSent = context.requestSent ?? true;
  }
}

/**
 * More than the provider will hold: an answer body over the transport's size caps (on the wire or
 * after decompression), or a search that still claims more records after the page cap. Never
 * retried: the same request would bring the same flood (provider/scheduling/is-retryable.ts).
 */
export class QualysAnswerTooLargeError extends QualysError {
  /** The cap that was exceeded. */
  readonly limit: number;
  /** What `limit` counts. */
  readonly unit: "bytes" | "pages";
  constructor(message: string, context: QualysErrorContext & { limit: number; unit: "bytes" | "pages" }) {
    super("QUALYS_ANSWER_TOO_LARGE", message, context);
    this.limit = context.limit;
    this.unit = context.unit;
  }
}

/**
 * A SUCCESS answer holds a key this client cannot represent exactly: an integer beyond 2^53, a
 * missing or non-numeric id, a value of the wrong kind. The key is read whole or not at all, so
 * its read fails (never a partial or rounded key in state) and a search skips it with a warning.
 * Never retried: the same key answers the same way until it is corrected in Qualys.
 */
export class QualysUnreadableKeyError extends QualysError {
  constructor(message: string, context: QualysErrorContext = {}) {
    super("QUALYS_UNREADABLE_KEY", message, context);
  }
}

/** The provider's own configuration is unusable (credentials missing, http refused, unknown platform). */
export class QualysConfigError extends QualysError {
  /** The provider setting at fault (`apiUrl`, `password`, ...), when one is; the plugin reports it on that property. */
  readonly setting?: string;
  constructor(message: string, setting?: string) {
    super("QUALYS_CONFIG_ERROR", message);
    this.setting = setting;
  }
}

/**
 * A CrossGuard policy of `pulumi-qualys/policy` was configured with a value it cannot use (a
 * setting out of range or misspelt, a pattern that is not a regular expression).
 */
export class QualysPolicyConfigError extends QualysError {
  constructor(problems: readonly string[]) {
    super("QUALYS_POLICY_CONFIG_ERROR", `Invalid policy configuration: ${problems.join("; ")}.`);
  }
}

/** The server accepted a key but dropped modules the subscription does not license. */
/**
 * Qualys dropped modules from a key it wrote (settle.ts). Two causes look the same on the wire: a
 * name Qualys does not know (a typo such as `VM_LICENCE`) and a license the subscription lacks, so
 * the message tells them apart by the documented names, and says the key itself was written.
 */
export class QualysModulesNotLicensedError extends QualysError {
  readonly droppedModules: string[];
  constructor(droppedModules: string[], context: QualysErrorContext) {
    const unknown = droppedModules.filter((m) => !KNOWN_LICENSES.includes(m));
    const unlicensed = droppedModules.filter((m) => KNOWN_LICENSES.includes(m));
    const causes: string[] = [];
    if (unknown.length > 0) {
      const named = unknown.map((m) => withSuggestion(m, KNOWN_LICENSES));
      causes.push(`${named.join(", ")} ${unknown.length > 1 ? "are not licenses" : "is not a license"} Qualys documents: check the spelling`);
    }
    if (unlicensed.length > 0) {
      causes.push(`the subscription does not license ${unlicensed.join(", ")}: remove ${unlicensed.length > 1 ? "them" : "it"} or ask Qualys for the license`);
    }
    const key = `key "${context.title ?? context.keyId}"${context.title !== undefined && context.keyId !== undefined ? ` (id ${context.keyId})` : ""}`;
    super(
      "QUALYS_MODULES_NOT_LICENSED",
      `Qualys dropped module(s) ${droppedModules.join(", ")} from ${key}: ${causes.join("; ")}. ` +
        `The key itself is written and recorded in the stack's state with the modules Qualys kept; correct "modules" and run again.`,
      context,
    );
    this.droppedModules = droppedModules;
  }
}

/** `text` ending with exactly one period: Qualys' errorResolution often ends with one already. */
function sentence(text: string): string {
  return `${text.replace(/[.\s]+$/, "")}.`;
}

function describeApiError(d: QualysApiErrorDetails): string {
  const subject = d.keyId !== undefined ? ` key ${d.keyId}` : d.title !== undefined ? ` key "${d.title}"` : "";
  let text = `Qualys ${d.operation ?? "call"}${subject} failed: ${d.responseCode}`;
  if (d.errorMessage) text += ` (${d.errorMessage})`;
  if (d.errorResolution) text += `. Resolution: ${d.errorResolution}`;
  return text;
}

function describeRateLimit(d: RateLimitDetails): string {
  const what = d.kind === "concurrency" ? "concurrency limit" : "rate limit";
  const parts = [`Qualys ${d.operation ?? "call"} blocked by the subscription's ${what}`];
  if (d.limit !== undefined) {
    parts.push(d.kind === "concurrency" ? `limit ${d.limit} concurrent calls` : `limit ${d.limit} calls per ${d.windowSec ?? "?"} s`);
  }
  if (d.toWaitSec !== undefined) parts.push(`the server asks to wait ${d.toWaitSec} s`);
  if (d.reason) parts.push(d.reason);
  return (
    parts.join("; ") +
    ". Run again later, raise qualys:maxWaitSec / qualys:retryDeadlineSec to wait longer, " +
    "lower pulumi's --parallel, or ask Qualys Support to raise the subscription's API limits."
  );
}
