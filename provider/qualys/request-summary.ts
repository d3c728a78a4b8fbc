/**
 * The one way to make a `RequestSummary`: from the request as sent, credentials and all, to a copy
 * fit for an error or a log line. Redaction is part of making it, as in octokit's `RequestError`
 * (whose constructor blanks the Authorization header of the request it is given), so no caller can
 * forget it; `QualysError` passes every request it is given through here again.
 */
import { type RawHeaders, redactHeaders, redactText } from "./redact";
import type { RequestSummary } from "./types";

/** A request as sent: raw headers (an `Authorization` header included), URL as requested. */
export type SentRequest = Omit<RequestSummary, "headers"> & { headers: RawHeaders };

/**
 * The redacted summary of `request`: credential headers replaced whole, and `secrets` (redact.ts
 * `credentialForms`) and anything that looks like a credential blanked out of the URL and the
 * other header values. Redacting a summary again changes nothing.
 */
export function summarizeRequest(request: SentRequest, secrets: readonly string[] = []): RequestSummary {
  return {
    operation: request.operation,
    method: request.method,
    url: redactText(request.url, secrets),
    headers: redactHeaders(request.headers, secrets),
  };
}
