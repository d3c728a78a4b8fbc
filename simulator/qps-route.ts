/**
 * Maps a QPS path to an operation: `/qps/rest/1.0/<operation>/ca/agentactkey[/<id>]`
 * (docs/qualys-api.md, "Endpoints") and `/qps/rest/1.0/cak/ca/changeactkey`
 * (docs/qualys-api.md, "Change activation key"). The trailing slash is optional.
 */
import type { QpsOperation } from "./fault-injection";

export interface QpsRoute {
  operation: QpsOperation;
  id?: number;
  /** get is a GET; every other operation is a POST. */
  method: "GET" | "POST";
}

const AGENTACTKEY_PATH = /^\/qps\/rest\/1\.0\/(create|get|update|delete|search)\/ca\/agentactkey(?:\/(\d+))?\/?$/;
const CHANGE_KEY_PATH = /^\/qps\/rest\/1\.0\/cak\/ca\/changeactkey\/?$/;
/** Operations whose path must or may carry the key id. */
const ID_IN_PATH: Record<Exclude<QpsOperation, "changeactkey">, "required" | "optional" | "none"> = {
  create: "none",
  get: "required",
  update: "optional",
  delete: "required",
  search: "none",
};

export function parseQpsRoute(path: string): QpsRoute | undefined {
  if (CHANGE_KEY_PATH.test(path)) return { operation: "changeactkey", method: "POST" };
  const match = AGENTACTKEY_PATH.exec(path);
  if (!match) return undefined;
  const operation = match[1] as keyof typeof ID_IN_PATH;
  const id = match[2] === undefined ? undefined : Number(match[2]);
  const rule = ID_IN_PATH[operation];
  if ((rule === "required" && id === undefined) || (rule === "none" && id !== undefined)) return undefined;
  return { operation, id, method: operation === "get" ? "GET" : "POST" };
}
