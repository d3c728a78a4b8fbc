/**
 * How a declared key is compared with the key in state or on the server: the one comparison used
 * by `diff` (plan an update), by refresh tests and by the drift report, so all three always agree.
 *
 * Rules (README, "How changes are applied"):
 * - Only declared fields are compared; `__provider`, read-only outputs and `applyOnAgents` (an
 *   action flag the server never reports) never are.
 * - `ownerId` and `networkId` are managed only when declared: leaving them out lets Qualys keep
 *   its value (the API documents no way to clear them).
 * - `countPurchased` counts only for COUNT_* types and `expireDate` only for TIME_* types.
 * - Spellings are no change (normalize.ts): module case and order, tag order, date forms, a title's
 *   surrounding whitespace and a type's case — also for inputs saved before check normalised them.
 * - A value unknown during preview counts as a change.
 * - `successorKeyId` is no Qualys field, but `delete` reads it from the state (delete gets nothing
 *   else), so a change of it alone is planned too, as an update that only rewrites the state
 *   (update.ts): no call to Qualys.
 * - Every declared field is updated in place. A plain replacement would issue a new activation key
 *   and strand every agent enrolled with the old one (and Qualys refuses to delete a key while
 *   agents are registered with it), and titles are unique, so a create-before-delete replacement
 *   would collide with itself.
 * - The one replacement is asked for: a change of `rotationTrigger` from one value to another
 *   rotates the key (rotate.ts makes create-before-delete work despite the unique title, and moves
 *   the agents). Setting it for the first time or removing it only records that in state: a key
 *   adopted into rotation must not be rotated by the very change that declares it.
 */
import { DECLARED_FIELDS, UNKNOWN_VALUE, type DeclaredField } from "./properties";
import { COUNT_LIMITED_TYPES, TIME_LIMITED_TYPES, normaliseExpireDate, normaliseModules, normaliseTagIds, normaliseTitle, normaliseType } from "./normalize";

type Bag = Record<string, unknown>;

/**
 * The fields of `changed` (an update of `olds` to `news`) whose change forces a replacement: only
 * `rotationTrigger` going from one value to another. What both adapters' diffs answer, so neither
 * decides on its own; neither ever asks the engine to delete before replacing.
 */
export function replacedFields(changed: readonly string[], olds: Bag, news: Bag): string[] {
  const rotates = changed.includes("rotationTrigger") && olds.rotationTrigger !== undefined && news.rotationTrigger !== undefined;
  return rotates ? ["rotationTrigger"] : [];
}

/** Declared fields whose value in `declared` differs from `actual`, in DECLARED_FIELDS order. */
export function changedFields(declared: Bag, actual: Bag): DeclaredField[] {
  return DECLARED_FIELDS.filter((field) => fieldChanged(field, declared, actual));
}

/** Provider-only inputs kept in state for a later delete or rotation (never sent to Qualys). */
export const STATE_ONLY_FIELDS = ["successorKeyId", "rotationTrigger"] as const;

/**
 * What an update of the key in state (`olds`) to `news` changes: the declared fields that differ,
 * then the state-only ones. The engine's diff; `changedFields` alone is the comparison with Qualys.
 */
export function plannedChanges(news: Bag, olds: Bag): string[] {
  const stateOnly = STATE_ONLY_FIELDS.filter((field) => containsUnknown(news[field]) || news[field] !== olds[field]);
  return [...changedFields(news, olds), ...stateOnly];
}

function fieldChanged(field: DeclaredField, declared: Bag, actual: Bag): boolean {
  const want = declared[field];
  if (containsUnknown(want)) return true;
  const type = normaliseType(String(declared.type ?? "UNLIMITED"));
  switch (field) {
    case "ownerId":
    case "networkId":
      return want !== undefined && want !== actual[field];
    case "countPurchased":
      return COUNT_LIMITED_TYPES.includes(type) && want !== actual[field];
    case "expireDate":
      return TIME_LIMITED_TYPES.includes(type) && dateOf(want) !== dateOf(actual[field]);
    case "modules":
      return !sameList(normaliseModules(stringList(want)), normaliseModules(stringList(actual[field])));
    case "tagIds":
      return !sameList(normaliseTagIds(numberList(want)), normaliseTagIds(numberList(actual[field])));
    case "isDisabled":
    case "suspendSelfPatch":
      return (want ?? false) !== (actual[field] ?? false);
    case "type":
      return type !== (actual[field] ?? "UNLIMITED");
    case "title":
      return (typeof want === "string" ? normaliseTitle(want) : want) !== actual[field];
  }
}

function containsUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE || (Array.isArray(value) && value.includes(UNKNOWN_VALUE));
}

function dateOf(value: unknown): string | undefined {
  return typeof value === "string" ? normaliseExpireDate(value) : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function numberList(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
