/**
 * The answer to a call refused by a limit: the classic API server sends HTTP 409 with
 * LIMIT_EXCEEDED and code 1965 (rate) or 1960 (concurrency) in the message; the gateway sends 429
 * with an empty body (shared/docs/qualys-agentactkey-api.md, "Rate and concurrency limits").
 */
import type { ServerResponse } from "node:http";
import type { BlockReason } from "./limits";
import { errorXml } from "./xml-responses";

const MESSAGES: Record<BlockReason, string> = {
  rate: "1965: API call rate limit exceeded for this subscription.",
  concurrency: "1960: Concurrency limit exceeded: too many API calls are running for this subscription.",
};

/**
 * The QPS body of a 409 whose code is not documented for a block (fault `block-409-other-code`):
 * which code a blocked call carries is not known, so clients must not rely on LIMIT_EXCEEDED.
 */
export const UNDOCUMENTED_BLOCK = { responseCode: "OTHER_ERROR", message: "Too many API calls for this subscription. Please try again later." };

export function writeBlockedResponse(
  response: ServerResponse,
  status: 409 | 429,
  reason: BlockReason,
  headers: Record<string, string>,
  qps: { responseCode: string; message: string } = { responseCode: "LIMIT_EXCEEDED", message: MESSAGES[reason] },
): void {
  if (status === 429) {
    response.writeHead(429, { ...headers, "Content-Length": "0" });
    response.end();
    return;
  }
  const body = errorXml(qps.responseCode, qps.message, "Wait X-RateLimit-ToWait-Sec seconds (or for a running call to finish) and retry.");
  response.writeHead(409, { ...headers, "Content-Type": "application/xml;charset=UTF-8" });
  response.end(body);
}
