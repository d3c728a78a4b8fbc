import { strict as assert } from "node:assert";
import {
  QualysApiError,
  QualysAuthError,
  QualysConfigError,
  QualysDuplicateTitleError,
  QualysHttpError,
  QualysKeyInUseError,
  QualysNetworkError,
  QualysNotFoundError,
  QualysRateLimitError,
  QualysAnswerTooLargeError,
  QualysUnreadableKeyError,
} from "../../provider/qualys/errors";
import { isBlockedByLimit, isTransientFailure, mayHaveBeenProcessed } from "../../provider/scheduling/is-retryable";

describe("retry predicates", () => {
  // `processed`: a create that failed this way may have created the key (create-or-adopt searches).
  const cases: { name: string; error: unknown; blocked: boolean; transient: boolean; processed?: boolean }[] = [
    { name: "409 rate block", error: new QualysRateLimitError({ kind: "rate", statusCode: 409, toWaitSec: 30 }), blocked: true, transient: false },
    { name: "409 concurrency block", error: new QualysRateLimitError({ kind: "concurrency", statusCode: 409 }), blocked: true, transient: false },
    { name: "429 from the gateway", error: new QualysRateLimitError({ kind: "rate", statusCode: 429 }), blocked: true, transient: false },
    { name: "connection reset", error: new QualysNetworkError("reset", { networkCode: "ECONNRESET" }), blocked: false, transient: true },
    // Issue 11: a timeout already waited qualys:timeoutMs; retrying it made one silent server cost 15 minutes.
    { name: "timeout after the request was sent", error: new QualysNetworkError("timeout", { networkCode: "ETIMEDOUT" }), blocked: false, transient: false, processed: true },
    { name: "connect timeout", error: new QualysNetworkError("timeout", { networkCode: "ETIMEDOUT", requestSent: false }), blocked: false, transient: false, processed: false },
    { name: "connection refused", error: new QualysNetworkError("refused", { networkCode: "ECONNREFUSED", requestSent: false }), blocked: false, transient: false, processed: false },
    { name: "TLS certificate refused", error: new QualysNetworkError("tls", { networkCode: "DEPTH_ZERO_SELF_SIGNED_CERT", requestSent: false }), blocked: false, transient: false, processed: false },
    { name: "answer over the size cap", error: new QualysAnswerTooLargeError("big", { statusCode: 200, limit: 1, unit: "bytes" }), blocked: false, transient: false },
    { name: "search over the page cap", error: new QualysAnswerTooLargeError("pages", { limit: 100, unit: "pages" }), blocked: false, transient: false },
    { name: "a key the client cannot represent", error: new QualysUnreadableKeyError("2^53", { statusCode: 200 }), blocked: false, transient: false },
    { name: "503 page", error: new QualysHttpError("503", { statusCode: 503 }), blocked: false, transient: true },
    { name: "502 from a proxy", error: new QualysHttpError("502", { statusCode: 502 }), blocked: false, transient: true },
    { name: "200 with a cut body", error: new QualysHttpError("cut", { statusCode: 200 }), blocked: false, transient: true },
    { name: "SUCCESS without the key (no status)", error: new QualysHttpError("no key"), blocked: false, transient: true },
    { name: "302 redirect", error: new QualysHttpError("redirect", { statusCode: 302 }), blocked: false, transient: false },
    { name: "404 HTML page", error: new QualysHttpError("404", { statusCode: 404 }), blocked: false, transient: false },
    { name: "INVALID_REQUEST", error: new QualysApiError({ responseCode: "INVALID_REQUEST" }), blocked: false, transient: false },
    { name: "duplicate title", error: new QualysDuplicateTitleError({ responseCode: "CA_1001_DUPLICATE_KEY" }), blocked: false, transient: false },
    { name: "not found", error: new QualysNotFoundError({ responseCode: "OBJECT_NOT_FOUND" }), blocked: false, transient: false },
    { name: "key in use", error: new QualysKeyInUseError({ responseCode: "OTHER_ERROR" }), blocked: false, transient: false },
    { name: "bad credentials", error: new QualysAuthError("INVALID_CREDENTIALS", { statusCode: 401 }), blocked: false, transient: false },
    { name: "configuration", error: new QualysConfigError("no password"), blocked: false, transient: false },
    { name: "a programming error", error: new TypeError("x is undefined"), blocked: false, transient: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.blocked ? "blocked, retried for any operation" : c.transient ? "ambiguous, retried only when idempotent" : c.processed ? "final, but a create may have landed" : "final"}`, () => {
      assert.equal(isBlockedByLimit(c.error), c.blocked);
      assert.equal(isTransientFailure(c.error), c.transient);
      assert.equal(mayHaveBeenProcessed(c.error), c.processed ?? c.transient);
    });
  }
});
