/**
 * `POST /auth`: form `username`, `password`, `token=true` → 201 with the raw JWT as body, 401 on
 * bad credentials (docs/qualys-api.md, "Authentication and platforms"). Not rate-limited: limits
 * apply to every API except auth (Qualys' "Get Started with VMDR OT APIs", "API Rate Limits").
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendBodyRefused, sendText } from "./http-io";
import type { SimulatorContext } from "./simulator-context";

export async function handleAuthRequest(context: SimulatorContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const at = context.now();
  const log = (statusCode: number, user?: string): void =>
    context.log.record({ at, method: request.method ?? "", path: "/auth", operation: "auth", statusCode, blocked: false, user });

  if (request.method !== "POST") {
    sendText(response, 405, "Use POST /auth with a form body: username, password, token=true.");
    log(405);
    return;
  }
  const body = await readBody(request, context.bodies);
  if (!body.ok) {
    sendBodyRefused(response, body.reason);
    log(response.statusCode);
    return;
  }
  const form = new URLSearchParams(body.text);
  if (form.get("token") !== "true") {
    sendText(response, 400, "The form field token must be true.");
    log(400);
    return;
  }
  const user = context.auth.checkPassword(form.get("username") ?? "", form.get("password") ?? "");
  if (!user) {
    sendText(response, 401, "Authentication failed: invalid username or password.");
    log(401);
    return;
  }
  sendText(response, 201, context.auth.issueToken(user));
  log(201, user.username);
}
