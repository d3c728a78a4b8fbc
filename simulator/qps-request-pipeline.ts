/**
 * One `/qps/rest` call (agentactkey or changeactkey), in the order the real service applies its checks: route, body size (413),
 * 415 for a body-less POST, credentials and API access, injected faults, limits (concurrency
 * first, then rate), latency, then the operation itself. Every call leaves one entry in the
 * request log. Answers are XML unless the request asks for JSON (response-format.ts), and all
 * carry `X-Powered-By: Qualys:<pod>:...` as the real ones do (docs/qualys-api.md, "Request wire
 * details").
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleCreate, handleDelete, handleGet, handleSearch, handleUpdate, type HandlerContext, type HandlerResult } from "./agentactkey-handlers";
import { writeBlockedResponse } from "./blocked-response";
import { handleChangeActivationKey } from "./change-key-handler";
import { TRUNCATED_XML, htmlPage, isBlockFault, refusesBeforeProcessing, type RefusingFault } from "./fault-injection";
import { readBody, sendBodyRefused, sendText, sleep } from "./http-io";
import { parseServiceRequest } from "./parse-service-request";
import { permissionRefusal } from "./permissions";
import { QpsError } from "./qps-error";
import { parseQpsRoute, type QpsRoute } from "./qps-route";
import { answerFormat, isJsonBody, sendServiceResponse, type AnswerStyle } from "./response-format";
import { errorResponse, responseCodeOf } from "./service-response";
import type { SimulatorContext } from "./simulator-context";
import type { RequestLogEntry, SimulatorUser } from "./types";

type LogFields = Omit<RequestLogEntry, "at" | "method" | "path" | "operation" | "blocked"> & { blocked?: boolean };

/** What the real API answers a user without API access, with HTTP 200 (public record). */
const UNAUTHORIZED = errorResponse(
  "UNAUTHORIZED",
  "You are not authorized to access the application through the API.",
  "If you think this is an error, please contact your account manager.",
);

export async function handleQpsRequest(context: SimulatorContext, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const route = parseQpsRoute(path);
  const at = context.now();
  const log = (fields: LogFields): void =>
    context.log.record({ at, method: request.method ?? "", path, operation: route?.operation ?? "unknown", blocked: false, ...fields });
  const style: AnswerStyle = { format: answerFormat(request.headers.accept), schemaLocation: context.options.schemaLocation };
  response.setHeader("X-Powered-By", context.poweredBy);

  if (!route || request.method !== route.method) {
    const status = route ? 405 : 404;
    const model = errorResponse("INVALID_REQUEST", `No agentactkey or changeactkey operation answers ${request.method} ${path}.`, "Check the method and the path against the Cloud Agent API user guide's activation key pages.");
    sendServiceResponse(response, status, model, style);
    log({ statusCode: status, responseCode: "INVALID_REQUEST" });
    return;
  }
  // The size is checked before anything else reads the body, authentication included.
  const body = await readBody(request, context.bodies);
  if (!body.ok) {
    sendBodyRefused(response, body.reason);
    log({ statusCode: response.statusCode });
    return;
  }
  if (route.method === "POST" && body.text.trim() === "") {
    // The real API refuses a body-less POST before anything else.
    sendText(response, 415, "Unsupported Media Type");
    log({ statusCode: 415 });
    return;
  }
  const auth = context.auth.authenticate(request.headers.authorization);
  if (!auth.ok) {
    const status = context.authErrorsAsHttp200 && auth.reason !== "expired" ? 200 : 401;
    const message = auth.reason === "expired" ? "The JWT has expired." : "Missing or invalid credentials.";
    sendServiceResponse(response, status, errorResponse("INVALID_CREDENTIALS", message, "Check the username and password, or request a new token from /auth."), style);
    log({ statusCode: status, responseCode: "INVALID_CREDENTIALS" });
    return;
  }
  const user = auth.user.username;
  if (auth.user.apiAccess === false) {
    sendServiceResponse(response, 200, UNAUTHORIZED, style);
    log({ user, statusCode: 200, responseCode: "UNAUTHORIZED" });
    return;
  }
  const refusal = permissionRefusal(auth.user, route.operation);
  if (refusal) {
    sendServiceResponse(response, 200, refusal, style);
    log({ user, statusCode: 200, responseCode: "INSUFFICIENT_PERMISSION" });
    return;
  }
  const fault = context.faults.take(route.operation);
  if (refusesBeforeProcessing(fault)) {
    answerWithFault(context, request, response, fault, style);
    log({ user, statusCode: response.headersSent ? response.statusCode : 0, blocked: isBlockFault(fault) });
    return;
  }
  const admission = context.limits.admit();
  if (!admission.admitted) {
    const { blockedStatus, blockedBody } = context.limits.settings;
    writeBlockedResponse(response, { status: blockedStatus, body: blockedBody === "classic" ? "classic" : admission.reason, block: admission, style, nowMs: context.now() });
    log({ user, statusCode: response.statusCode, responseCode: "LIMIT_EXCEEDED", blocked: true });
    return;
  }
  try {
    // latencyMs is the time the call takes on the server, its own processing included, so that
    // "N calls × latency / concurrency" is a reachable ideal for clients measured against it.
    // A "slow" fault holds the call before it is processed.
    if (fault?.kind === "slow") await sleep(fault.delayMs ?? 0);
    const started = performance.now();
    const outcome = await runOperation(context, auth.user, route, body.text, isJsonBody(request.headers));
    await sleep(Math.max(0, context.latencyMs - (performance.now() - started)));
    const responseCode = responseCodeOf(outcome.response);
    if (fault?.kind === "reset-after") {
      // The write is committed; the client never learns it (an ambiguous create).
      request.socket.destroy();
      log({ user, statusCode: 0, responseCode, keyId: outcome.keyId });
      return;
    }
    sendServiceResponse(response, 200, outcome.response, style, admission.headers());
    log({ user, statusCode: 200, responseCode, keyId: outcome.keyId });
  } finally {
    admission.release();
  }
}

async function runOperation(context: SimulatorContext, caller: SimulatorUser, route: QpsRoute, body: string, json: boolean): Promise<HandlerResult> {
  const handlerContext: HandlerContext = {
    store: context.store,
    licenses: context.licenses,
    now: context.now,
    titleSearchable: context.titleSearchable,
    tags: context.tags,
    caller,
  };
  try {
    return await dispatch(handlerContext, route, body, json);
  } catch (error) {
    if (!(error instanceof QpsError)) throw error;
    // QPS errors come with HTTP 200 (docs/qualys-api.md, "Responses and errors").
    return { response: errorResponse(error.responseCode, error.message, error.resolution), keyId: route.id };
  }
}

async function dispatch(context: HandlerContext, route: QpsRoute, body: string, json: boolean): Promise<HandlerResult> {
  if (route.operation === "get") return handleGet(context, route.id ?? 0);
  const root = await parseServiceRequest(body, json);
  switch (route.operation) {
    case "create":
      return handleCreate(context, root);
    case "update":
      return handleUpdate(context, route.id, root);
    case "delete":
      return handleDelete(context, route.id ?? 0);
    case "search":
      return handleSearch(context, root);
    case "changeactkey":
      return handleChangeActivationKey(context, root);
  }
}

function answerWithFault(context: SimulatorContext, request: IncomingMessage, response: ServerResponse, fault: RefusingFault, style: AnswerStyle): void {
  const block = (status: 409 | 429, body: "rate" | "concurrency" | "undocumented-code"): void =>
    writeBlockedResponse(response, { status, body, block: { reason: body === "concurrency" ? "concurrency" : "rate", headers: context.limits.simulatedBlockHeaders(fault.toWaitSec) }, style, nowMs: context.now() });
  switch (fault.kind) {
    case "rate-409":
      return block(409, "rate");
    case "concurrency-409":
      return block(409, "concurrency");
    case "rate-429":
      return block(429, "rate");
    case "block-409-other-code":
      return block(409, "undocumented-code");
    case "rate-409-classic":
      // The wait only in the body, no ToWait header: the case a client must read the body for.
      return writeBlockedResponse(response, {
        status: 409,
        body: "classic",
        block: { reason: "rate", headers: context.limits.simulatedBlockHeaders(undefined), toWaitSec: fault.toWaitSec ?? 60 },
        style,
        nowMs: context.now(),
      });
    case "unavailable-503":
      return sendText(response, 503, htmlPage(503, "Service Unavailable"), "text/html");
    case "html-proxy":
      return sendText(response, 502, htmlPage(502, "Bad Gateway"), "text/html");
    case "malformed-xml":
      return sendText(response, 200, TRUNCATED_XML, "application/xml;charset=UTF-8");
    case "reset-before":
      request.socket.destroy();
      return;
  }
}
