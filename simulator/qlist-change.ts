/**
 * Applies a QPS QList change to a stored collection: `list`/`set` replace it, then `add` appends
 * missing items and `remove` drops items, both matched by `identity` (QPS generic QList semantics,
 * docs/qualys-api.md, "Fields and their behaviour").
 */
import type { QListChange } from "./parse-service-request";

export function applyQListChange<T, K>(current: readonly T[], change: QListChange<T> | undefined, identity: (item: T) => K): T[] {
  if (!change) return [...current];
  let result = change.replace ? [...change.replace] : [...current];
  for (const item of change.add) {
    if (!result.some((existing) => identity(existing) === identity(item))) result.push(item);
  }
  const removed = new Set(change.remove.map(identity));
  result = result.filter((item) => !removed.has(identity(item)));
  // A repeated item in one request is stored once.
  return result.filter((item, index) => result.findIndex((other) => identity(other) === identity(item)) === index);
}
