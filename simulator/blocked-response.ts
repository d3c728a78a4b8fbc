/**
 * The answer to a call refused by a limit: the classic API server sends HTTP 409 with
 * LIMIT_EXCEEDED and code 1965 (rate) or 1960 (concurrency) in the message, or its classic
 * `<SIMPLE_RETURN>` body (classic-block-body.ts); the gateway sends 429 with an empty body
 * (docs/qualys-api.md, "Rate and concurrency limits").
 */
import type { ServerResponse } from "node:http";
import { classicBlockBody } from "./classic-block-body";
import type { Block } from "./limits";
import { sendServiceResponse, type AnswerStyle } from "./response-format";
import { errorResponse } from "./service-response";

/**
 * The QPS body of each kind of refusal. `undocumented-code` (fault `block-409-other-code`) carries
 * OTHER_ERROR and no code number: which code a blocked call carries is not documented, so clients
 * must not rely on LIMIT_EXCEEDED.
 */
const BODIES: Record<Block["reason"] | "undocumented-code", { responseCode: string; message: string }> = {
  rate: { responseCode: "LIMIT_EXCEEDED", message: "1965: API call rate limit exceeded for this subscription." },
  concurrency: { responseCode: "LIMIT_EXCEEDED", message: "1960: Concurrency limit exceeded: too many API calls are running for this subscription." },
  "undocumented-code": { responseCode: "OTHER_ERROR", message: "Too many API calls for this subscription. Please try again later." },
};

interface BlockedAnswer {
  status: 409 | 429;
  /** Which QPS body a 409 carries, or `classic` for the `<SIMPLE_RETURN>` body. */
  body: keyof typeof BODIES | "classic";
  block: Block;
  style: AnswerStyle;
  nowMs: number;
}

export function writeBlockedResponse(response: ServerResponse, answer: BlockedAnswer): void {
  const { status, body, block } = answer;
  if (status === 429) {
    response.writeHead(429, { ...block.headers, "Content-Length": "0" });
    response.end();
    return;
  }
  if (body === "classic") {
    response.writeHead(409, { ...block.headers, "Content-Type": "application/xml;charset=UTF-8" });
    response.end(classicBlockBody(block, answer.nowMs));
    return;
  }
  const { responseCode, message } = BODIES[body];
  const model = errorResponse(responseCode, message, "Wait X-RateLimit-ToWait-Sec seconds (or for a running call to finish) and retry.");
  sendServiceResponse(response, 409, model, answer.style, block.headers);
}
