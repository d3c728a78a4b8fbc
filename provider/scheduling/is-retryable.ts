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
 * No clear answer: reset, timeout, 5xx, or a 200 whose body was cut. The call may or may not have
 * been processed: safe to re-send only when the operation is idempotent (get, search, update with
 * the full state, delete). A create is resolved by searching for its title (create-or-adopt.ts).
 */
export function isTransientFailure(error: unknown): error is QualysNetworkError | QualysHttpError {
  if (error instanceof QualysNetworkError) return true;
  return error instanceof QualysHttpError && (error.statusCode === undefined || error.statusCode >= 500 || error.statusCode === 200);
}
