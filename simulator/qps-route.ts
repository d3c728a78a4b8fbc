/**
 * Maps a `/qps/rest/1.0/<operation>/ca/agentactkey[/<id>]` path to an operation
 * (docs/qualys-api.md, "Endpoints"). The trailing slash is optional.
 */
import type { AgentActKeyOperation } from "./fault-injection";

export interface QpsRoute {
  operation: AgentActKeyOperation;
  id?: number;
  /** get is a GET; every other operation is a POST. */
  method: "GET" | "POST";
}

const PATH = /^\/qps\/rest\/1\.0\/(create|get|update|delete|search)\/ca\/agentactkey(?:\/(\d+))?\/?$/;
/** Operations whose path must or may carry the key id. */
const ID_IN_PATH: Record<AgentActKeyOperation, "required" | "optional" | "none"> = {
  create: "none",
  get: "required",
  update: "optional",
  delete: "required",
  search: "none",
};

export function parseQpsRoute(path: string): QpsRoute | undefined {
  const match = PATH.exec(path);
  if (!match) return undefined;
  const operation = match[1] as AgentActKeyOperation;
  const id = match[2] === undefined ? undefined : Number(match[2]);
  const rule = ID_IN_PATH[operation];
  if ((rule === "required" && id === undefined) || (rule === "none" && id !== undefined)) return undefined;
  return { operation, id, method: operation === "get" ? "GET" : "POST" };
}
