/**
 * The answer to a call refused by a limit: the classic API server sends HTTP 409 with
 * LIMIT_EXCEEDED and code 1965 (rate) or 1960 (concurrency) in the message; the gateway sends 429
 * with an empty body (shared/docs/qualys-agentactkey-api.md, "Rate and concurrency limits").
 */
import type { ServerResponse } from "node:http";
import type { BlockReason } from "./limits";
import { errorXml } from "./xml-responses";

/**
 * The QPS body of each kind of refusal. `undocumented-code` (fault `block-409-other-code`) carries
 * OTHER_ERROR and no code number: which code a blocked call carries is not documented, so clients
 * must not rely on LIMIT_EXCEEDED.
 */
const BODIES: Record<BlockReason | "undocumented-code", { responseCode: string; message: string }> = {
  rate: { responseCode: "LIMIT_EXCEEDED", message: "1965: API call rate limit exceeded for this subscription." },
  concurrency: { responseCode: "LIMIT_EXCEEDED", message: "1960: Concurrency limit exceeded: too many API calls are running for this subscription." },
  "undocumented-code": { responseCode: "OTHER_ERROR", message: "Too many API calls for this subscription. Please try again later." },
};

export function writeBlockedResponse(response: ServerResponse, status: 409 | 429, body: keyof typeof BODIES, headers: Record<string, string>): void {
  if (status === 429) {
    response.writeHead(429, { ...headers, "Content-Length": "0" });
    response.end();
    return;
  }
  const { responseCode, message } = BODIES[body];
  const xml = errorXml(responseCode, message, "Wait X-RateLimit-ToWait-Sec seconds (or for a running call to finish) and retry.");
  response.writeHead(409, { ...headers, "Content-Type": "application/xml;charset=UTF-8" });
  response.end(xml);
}
