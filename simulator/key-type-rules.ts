/**
 * What each activation key `type` requires and keeps (docs/qualys-api.md, "Fields and their
 * behaviour"): COUNT_* needs countPurchased >= 1, TIME_* needs an expireDate. A limit that the type
 * does not use is dropped, as the Cloud Agent API guide's update sample shows (UNLIMITED sent with
 * countPurchased 1 and an expireDate comes back with countPurchased 0 and no expireDate).
 */
import { invalidRequest } from "./qps-error";
import type { SimKey } from "./types";

const KEY_TYPES: readonly SimKey["type"][] = ["UNLIMITED", "COUNT_LIMITED", "TIME_LIMITED", "COUNT_TIME_LIMITED"];

/** Checks `type` is one of the four values; INVALID_REQUEST names the field when not. */
export function parseKeyType(type: string | undefined): SimKey["type"] {
  if (type === undefined || type === "") {
    throw invalidRequest("Field type is mandatory.", `Set type to one of ${KEY_TYPES.join(", ")}.`);
  }
  const known = KEY_TYPES.find((candidate) => candidate === type);
  if (!known) throw invalidRequest(`Field type has an invalid value "${type}".`, `Use one of ${KEY_TYPES.join(", ")}.`);
  return known;
}

/** Accepts `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` (UTC) and stores the latter. */
export function normaliseExpireDate(value: string): string {
  const full = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(full) || Number.isNaN(Date.parse(full))) {
    throw invalidRequest(`Field expireDate has an invalid value "${value}".`, "Use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC).");
  }
  return full;
}

/** Validates the limits of `key` against its type and clears the ones the type does not use. */
export function applyTypeRules(key: Pick<SimKey, "type" | "countPurchased" | "expireDate">): void {
  const counted = key.type === "COUNT_LIMITED" || key.type === "COUNT_TIME_LIMITED";
  const timed = key.type === "TIME_LIMITED" || key.type === "COUNT_TIME_LIMITED";
  if (key.countPurchased < 0) throw invalidRequest("Field countPurchased must not be negative.");
  if (counted && key.countPurchased < 1) {
    throw invalidRequest(`Type ${key.type} needs countPurchased of at least 1.`, "Set countPurchased to the number of agents allowed.");
  }
  if (timed && !key.expireDate) {
    throw invalidRequest(`Type ${key.type} needs an expireDate.`, "Set expireDate (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC).");
  }
  if (!counted) key.countPurchased = 0;
  if (!timed) delete key.expireDate;
}
