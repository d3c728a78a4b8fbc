/**
 * The context of one call, built once (`callContext`, in qps-call.ts or for the JWT `/auth` call)
 * and handed down: the transport adds the summary of the request it sent, and every error the call
 * raises — no answer, too large an answer, an API refusal, a block — is built from it. Its
 * `secrets` travel with it, so each error's constructor redacts (errors.ts).
 */
import type { QualysErrorContext } from "./errors";
import type { QualysOperation } from "./types";

/** The error context of one call: what it is about, and the secrets its errors must not show. */
export interface CallContext extends QualysErrorContext {
  operation: QualysOperation;
  /** The client's living list (redact.ts `credentialForms`); a JWT obtained later joins it. */
  secrets: readonly string[];
}

/** The context of one `operation` about `subject`'s key, whose errors redact `secrets`. */
export function callContext(operation: QualysOperation, secrets: readonly string[], subject: { keyId?: number; title?: string } = {}): CallContext {
  return { operation, keyId: subject.keyId, title: subject.title, secrets };
}
