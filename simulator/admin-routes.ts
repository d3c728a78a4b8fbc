/**
 * The admin API over HTTP, JSON in and out, under `/__admin/`. It has NO authentication: it is a
 * test tool for a simulator bound to 127.0.0.1, never something to expose. Calls whose Host or
 * Origin is not loopback are refused with 403 before anything else (admin-origin-guard.ts), bodies
 * are capped like every route's (http-io.ts), and numbers and lists are bounded (input-bounds.ts).
 *
 *   GET    /__admin/keys                 list keys          POST   /__admin/keys          insert {title,...}
 *   GET    /__admin/keys/<id>            one key            PATCH  /__admin/keys/<id>     out-of-band change
 *   DELETE /__admin/keys/<id>            delete             POST   /__admin/keys/<id>/agents {count, tags?}
 *   DELETE /__admin/keys/<id>/agents     detach all agents  POST   /__admin/faults        [FaultSpec...]
 *   DELETE /__admin/faults               clear faults       GET    /__admin/log           request log
 *   GET    /__admin/counts               calls per operation (+ maxInFlight)
 *   POST   /__admin/reset-log            clear the log      PUT    /__admin/limits        change limits
 *   POST   /__admin/reset                back to start-up state
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AdminKeyNotFoundError } from "./admin";
import { adminRefusal } from "./admin-origin-guard";
import { readBody, sendBodyRefused, sendJson, type BodyBudget } from "./http-io";
import type { FaultSpec, SimKey, SimulatorAdmin } from "./types";

type Json = Record<string, unknown>;

/** @param bodies the server's budget of buffered request bodies (http-io.ts). */
export async function handleAdminRequest(admin: SimulatorAdmin, bodies: BodyBudget, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const method = request.method ?? "GET";
  const refusal = adminRefusal(request.headers);
  if (refusal) {
    sendJson(response, 403, { error: refusal });
    return;
  }
  const read = await readBody(request, bodies);
  if (!read.ok) {
    sendBodyRefused(response, read.reason);
    return;
  }
  try {
    const text = read.text;
    const body: unknown = text.trim() ? JSON.parse(text) : undefined;
    const result = route(admin, method, path.replace(/\/$/, ""), body);
    if (result === NOT_FOUND) sendJson(response, 404, { error: `No admin route for ${method} ${path}.` });
    else if (result === undefined) sendJson(response, 200, { ok: true });
    else sendJson(response, 200, result);
  } catch (error) {
    const status = error instanceof AdminKeyNotFoundError ? 404 : 400;
    sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
  }
}

const NOT_FOUND = Symbol("not found");

function route(admin: SimulatorAdmin, method: string, path: string, body: unknown): unknown {
  const keyMatch = /^\/__admin\/keys\/(\d+)(\/agents)?$/.exec(path);
  if (keyMatch) {
    const id = Number(keyMatch[1]);
    const agents = keyMatch[2] !== undefined;
    // Whatever JSON sent, attachAgents checks count and tags are in range (input-bounds.ts).
    if (agents && method === "POST") {
      const fields = asObject(body);
      return admin.attachAgents(id, (fields["count"] ?? 1) as number, { tags: fields["tags"] as string[] | undefined });
    }
    if (agents && method === "DELETE") return admin.detachAgents(id);
    if (!agents && method === "GET") return admin.getKey(id) ?? raiseNotFound(id);
    if (!agents && method === "PATCH") return admin.patchKey(id, asObject(body) as Partial<SimKey>);
    if (!agents && method === "DELETE") return admin.deleteKey(id);
    return NOT_FOUND;
  }
  switch (`${method} ${path}`) {
    case "GET /__admin/keys":
      return admin.listKeys();
    case "POST /__admin/keys": {
      const fields = asObject(body);
      if (typeof fields["title"] !== "string") throw new Error("A key needs a string title.");
      return admin.insertKey(fields as Partial<SimKey> & { title: string });
    }
    case "POST /__admin/faults":
      return admin.injectFaults(body as FaultSpec[]);
    case "DELETE /__admin/faults":
      return admin.clearFaults();
    case "GET /__admin/log":
      return admin.requestLog();
    case "GET /__admin/counts":
      return { ...admin.callCounts(), maxInFlight: admin.maxInFlight() };
    case "POST /__admin/reset-log":
      return admin.resetLog();
    case "PUT /__admin/limits":
      return admin.setLimits(asObject(body));
    case "POST /__admin/reset":
      return admin.reset();
    default:
      return NOT_FOUND;
  }
}

function asObject(body: unknown): Json {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("Send a JSON object.");
  return body as Json;
}

function raiseNotFound(id: number): never {
  throw new AdminKeyNotFoundError(id);
}
