/**
 * One `/qps/rest` call, in the order the real service applies its checks: route, 415 for a
 * body-less POST, credentials, injected faults, limits (concurrency first, then rate), latency,
 * then the operation itself. Every call leaves one entry in the request log.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleCreate, handleDelete, handleGet, handleSearch, handleUpdate, type HandlerContext, type HandlerResult } from "./agentactkey-handlers";
import { writeBlockedResponse } from "./blocked-response";
import { TRUNCATED_XML, htmlPage, isBlockFault, refusesBeforeProcessing, type RefusingFault } from "./fault-injection";
import { readBody, sendText, sendXml, sleep } from "./http-io";
import { parseServiceRequest } from "./parse-service-request";
import { QpsError } from "./qps-error";
import { parseQpsRoute, type QpsRoute } from "./qps-route";
import type { SimulatorContext } from "./simulator-context";
import type { RequestLogEntry, SimulatorUser } from "./types";
import { errorXml } from "./xml-responses";

type LogFields = Omit<RequestLogEntry, "at" | "method" | "path" | "operation" | "blocked"> & { blocked?: boolean };

export async function handleQpsRequest(context: SimulatorContext, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const route = parseQpsRoute(path);
  const at = context.now();
  const log = (fields: LogFields): void =>
    context.log.record({ at, method: request.method ?? "", path, operation: route?.operation ?? "unknown", blocked: false, ...fields });

  if (!route || request.method !== route.method) {
    const status = route ? 405 : 404;
    sendXml(response, status, errorXml("INVALID_REQUEST", `No agentactkey operation answers ${request.method} ${path}.`, "Check the method and the path (shared/docs/qualys-agentactkey-api.md)."));
    log({ statusCode: status, responseCode: "INVALID_REQUEST" });
    return;
  }
  const body = await readBody(request);
  if (route.method === "POST" && body.trim() === "") {
    // The real API refuses a body-less POST before anything else.
    sendText(response, 415, "Unsupported Media Type");
    log({ statusCode: 415 });
    return;
  }
  const auth = context.auth.authenticate(request.headers.authorization);
  if (!auth.ok) {
    const status = context.authErrorsAsHttp200 && auth.reason !== "expired" ? 200 : 401;
    const message = auth.reason === "expired" ? "The JWT has expired." : "Missing or invalid credentials.";
    sendXml(response, status, errorXml("INVALID_CREDENTIALS", message, "Check the username and password, or request a new token from /auth."));
    log({ statusCode: status, responseCode: "INVALID_CREDENTIALS" });
    return;
  }
  const user = auth.user.username;
  const fault = context.faults.take(route.operation);
  if (refusesBeforeProcessing(fault)) {
    answerWithFault(context, request, response, fault);
    log({ user, statusCode: response.headersSent ? response.statusCode : 0, blocked: isBlockFault(fault) });
    return;
  }
  const admission = context.limits.admit();
  if (!admission.admitted) {
    writeBlockedResponse(response, context.limits.settings.blockedStatus, admission.reason, admission.headers);
    log({ user, statusCode: response.statusCode, responseCode: "LIMIT_EXCEEDED", blocked: true });
    return;
  }
  try {
    // latencyMs is the time the call takes on the server, its own processing included, so that
    // "N calls × latency / concurrency" is a reachable ideal for clients measured against it.
    // A "slow" fault holds the call before it is processed.
    if (fault?.kind === "slow") await sleep(fault.delayMs ?? 0);
    const started = performance.now();
    const outcome = await runOperation(context, auth.user, route, body);
    await sleep(Math.max(0, context.latencyMs - (performance.now() - started)));
    if (fault?.kind === "reset-after") {
      // The write is committed; the client never learns it (an ambiguous create).
      request.socket.destroy();
      log({ user, statusCode: 0, responseCode: outcome.responseCode, keyId: outcome.keyId });
      return;
    }
    sendXml(response, 200, outcome.xml, admission.headers);
    log({ user, statusCode: 200, responseCode: outcome.responseCode, keyId: outcome.keyId });
  } finally {
    admission.release();
  }
}

async function runOperation(
  context: SimulatorContext,
  caller: SimulatorUser,
  route: QpsRoute,
  body: string,
): Promise<HandlerResult & { responseCode: string }> {
  const handlerContext: HandlerContext = {
    store: context.store,
    licenses: context.licenses,
    now: context.now,
    titleSearchable: context.titleSearchable,
    caller,
  };
  try {
    const result = await dispatch(handlerContext, route, body);
    return { ...result, responseCode: "SUCCESS" };
  } catch (error) {
    if (!(error instanceof QpsError)) throw error;
    // QPS errors come with HTTP 200 (shared/docs/qualys-agentactkey-api.md, "Responses and errors").
    return { xml: errorXml(error.responseCode, error.message, error.resolution), responseCode: error.responseCode, keyId: route.id };
  }
}

async function dispatch(context: HandlerContext, route: QpsRoute, body: string): Promise<HandlerResult> {
  if (route.operation === "get") return handleGet(context, route.id ?? 0);
  const root = await parseServiceRequest(body);
  switch (route.operation) {
    case "create":
      return handleCreate(context, root);
    case "update":
      return handleUpdate(context, route.id, root);
    case "delete":
      return handleDelete(context, route.id ?? 0);
    case "search":
      return handleSearch(context, root);
  }
}

function answerWithFault(context: SimulatorContext, request: IncomingMessage, response: ServerResponse, fault: RefusingFault): void {
  switch (fault.kind) {
    case "rate-409":
      return writeBlockedResponse(response, 409, "rate", context.limits.simulatedBlockHeaders(fault.toWaitSec));
    case "concurrency-409":
      return writeBlockedResponse(response, 409, "concurrency", context.limits.simulatedBlockHeaders(fault.toWaitSec));
    case "rate-429":
      return writeBlockedResponse(response, 429, "rate", context.limits.simulatedBlockHeaders(fault.toWaitSec));
    case "block-409-other-code":
      return writeBlockedResponse(response, 409, "undocumented-code", context.limits.simulatedBlockHeaders(fault.toWaitSec));
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
