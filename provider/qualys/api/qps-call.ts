/**
 * Runs one QPS call end to end: through the scheduler, with authentication, one HTTP exchange,
 * and the classification of its answer. The only re-send here is after a 401 that renewed a JWT:
 * a 401 means the call was refused before it was processed, so even a create is safe to send again
 * (unlike a timeout or a reset, which are ambiguous and left to the scheduler's create-or-adopt).
 */
import { callContext } from "../call-context";
import type { Authenticator } from "../transport/authenticator";
import { classifyResponse, mayBeLimitBlock } from "../wire/classify-response";
import type { HttpExchange, HttpTransport } from "../transport/http-transport";
import type { QualysLogger, QualysOperation, RequestScheduler } from "../types";
import type { ServiceResponse } from "../wire/parse-service-response";

/** What a QPS call needs besides its own request. */
export interface QpsCallDeps {
  apiUrl: string;
  transport: HttpTransport;
  authenticator: Authenticator;
  scheduler: RequestScheduler;
  /** Literal secrets (redact.ts `credentialForms`) every error of a call blanks out (call-context.ts). */
  secrets: readonly string[];
  /** Where a search reports the keys it had to skip (parse-service-response.ts `parseKeys`). */
  logger?: QualysLogger;
}

/** One call of the agentactkey API. */
export interface QpsCall {
  operation: QualysOperation;
  /** False only for create: see ScheduledCall.idempotent. */
  idempotent: boolean;
  method: "GET" | "POST";
  /** Path below the API URL, starting with `/qps/rest/`. */
  path: string;
  body?: string;
  keyId?: number;
  title?: string;
  /** Values of this call to blank out of server text besides the credentials (activation keys it sends). */
  secrets?: readonly string[];
}

export function runQpsCall(deps: QpsCallDeps, call: QpsCall): Promise<ServiceResponse> {
  const subject = call.keyId !== undefined ? `key ${call.keyId}` : call.title !== undefined ? `key "${call.title}"` : undefined;
  return deps.scheduler.run({
    operation: call.operation,
    idempotent: call.idempotent,
    subject,
    attempt: async (report) => {
      const context = callContext(call.operation, call.secrets ? [...deps.secrets, ...call.secrets] : deps.secrets, call);
      const send = (authorization: string): Promise<HttpExchange> =>
        deps.transport.send({ context, method: call.method, url: `${deps.apiUrl}${call.path}`, body: call.body, authorization });
      const authorization = await deps.authenticator.authorization();
      let exchange = await send(authorization);
      if (exchange.statusCode === 401 && (await deps.authenticator.renewAfterRejection(authorization))) {
        exchange = await send(await deps.authenticator.authorization());
      }
      // Reported before parsing: the scheduler frees the slot unless this may be a limit block.
      report({ statusCode: exchange.statusCode, headers: exchange.headers, mayBeLimitBlock: mayBeLimitBlock(exchange) });
      return classifyResponse(exchange, exchange.context);
    },
  });
}
