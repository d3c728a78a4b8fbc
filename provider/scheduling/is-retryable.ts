/**
 * Typed "is retryable" predicates: the retry rules of provider/scheduling/retries-and-waiters.md in code.
 */
import { QualysHttpError, QualysNetworkError, QualysRateLimitError } from "../qualys/errors";

/**
 * Blocked by the rate or concurrency limit (HTTP 409 / 429): the call was refused before it was
 * processed, so retrying is safe for every operation, create included.
 */
export function isBlockedByLimit(error: unknown): error is QualysRateLimitError {
  return error instanceof QualysRateLimitError;
}

/**
 * No clear answer, and the call may have been processed: a reset, a timeout after the request was
 * sent, 5xx, or a 200 whose body was cut. A create that failed this way may have created the key,
 * so create-or-adopt.ts searches for its title before anything else. False when the request
 * certainly never reached the server (refused, unknown host, TLS certificate refused, connect
 * timeout: `QualysNetworkError.requestSent`).
 */
export function mayHaveBeenProcessed(error: unknown): error is QualysNetworkError | QualysHttpError {
  if (error instanceof QualysNetworkError) return error.requestSent;
  return error instanceof QualysHttpError && (error.statusCode === undefined || error.statusCode >= 500 || error.statusCode === 200);
}

/**
 * Worth sending again (for idempotent calls: get, search, update with the full state, delete): an
 * ambiguous failure that may heal in seconds — a reset, 5xx, a cut body. Never retried:
 * - a timeout: the request already waited qualys:timeoutMs, and retrying a server that accepts and
 *   never answers turned one timeout into 15 minutes of silence (issue 11);
 * - a refused connection, an unknown host, a refused TLS certificate or a connect timeout: nothing
 *   was sent, and none of them heals within the same minute;
 * - an answer over the size caps or a search over the page cap (QualysAnswerTooLargeError) and a key
 *   the client cannot represent (QualysUnreadableKeyError): the same request brings the same answer.
 */
export function isTransientFailure(error: unknown): error is QualysNetworkError | QualysHttpError {
  if (error instanceof QualysNetworkError) return error.requestSent && error.networkCode !== "ETIMEDOUT";
  return mayHaveBeenProcessed(error);
}
