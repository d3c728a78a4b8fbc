/**
 * One canonical form for every value that can be written more than one way, so that neither
 * `diff` nor `read` ever reports a change that is only a spelling (issue: quiet no-op runs).
 * - title: Qualys drops leading and trailing whitespace (and our parser trims what it reads), so a
 *   title declared with it would show a change forever and adopt would never find it (issue 11);
 * - type: accepted in any case, like modules (issue 10), and sent the way the XSD enumerates it;
 * - modules: license names are case-insensitive and unordered on the server;
 * - tags: an unordered set of ids;
 * - expireDate: `YYYY-MM-DD`, `...T00:00:00Z` and `...T00:00:00.000Z` are the same instant;
 * - limits that do not apply to the key's type are dropped (Qualys returns countPurchased 0 for an
 *   UNLIMITED key and no expireDate for a count-only key: docs/qualys-api.md).
 */
import type { AgentActKey, AgentActKeyWrite } from "../qualys/types";
import type { ActivationKeyInputs, ActivationKeyOutputs } from "./properties";

export const COUNT_LIMITED_TYPES: readonly string[] = ["COUNT_LIMITED", "COUNT_TIME_LIMITED"];
export const TIME_LIMITED_TYPES: readonly string[] = ["TIME_LIMITED", "COUNT_TIME_LIMITED"];

/** Without leading and trailing whitespace. */
export function normaliseTitle(title: string): string {
  return title.trim();
}

/** Upper-case, trimmed: `count_limited` is COUNT_LIMITED. */
export function normaliseType(type: string): string {
  return type.trim().toUpperCase();
}

/** Upper-case, trimmed, de-duplicated, sorted. */
export function normaliseModules(modules: readonly string[]): string[] {
  return [...new Set(modules.map((m) => m.trim().toUpperCase()))].sort();
}

/** De-duplicated, ascending. */
export function normaliseTagIds(tagIds: readonly number[]): number[] {
  return [...new Set(tagIds)].sort((a, b) => a - b);
}

/**
 * Whether a text that matches EXPIRE_DATE_PATTERN names a real instant: a month 01–12, a day the
 * month has, hours 00–23, minutes and seconds 00–59. Date.parse rolls `2030-02-30` over to March 2
 * and gives up on `2030-13-45`, so neither may reach it unchecked.
 */
export function isCalendarDate(date: string): boolean {
  const [year, month, day, hours = 0, minutes = 0, seconds = 0] = date.split(/[-T:.Z]/).slice(0, 6).map(Number) as [number, number, number, number?, number?, number?];
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0–99 as written
  instant.setUTCHours(hours, minutes, seconds);
  return (
    instant.getUTCFullYear() === year &&
    instant.getUTCMonth() === month - 1 &&
    instant.getUTCDate() === day &&
    instant.getUTCHours() === hours &&
    instant.getUTCMinutes() === minutes &&
    instant.getUTCSeconds() === seconds
  );
}

/** `YYYY-MM-DDTHH:MM:SSZ`; a date alone means midnight UTC. Unparseable text is returned as is. */
export function normaliseExpireDate(date: string): string {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? date : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Inputs the server never returns: `applyOnAgents` is an action flag (always read back false),
 * `adopt`, `successorKeyId` and `rotationTrigger` are ours alone. They come from the declaration or
 * the saved state.
 */
export type ProviderOnlyInputs = Pick<ActivationKeyInputs, "applyOnAgents" | "adopt" | "successorKeyId" | "rotationTrigger">;

/** The provider-only inputs of a saved state or a declaration (absent ones as their defaults). */
export function providerOnlyInputsOf(bag: Record<string, unknown> | undefined): ProviderOnlyInputs {
  const inputs: ProviderOnlyInputs = { applyOnAgents: bag?.applyOnAgents === true, adopt: bag?.adopt === true };
  if (typeof bag?.successorKeyId === "number") inputs.successorKeyId = bag.successorKeyId;
  if (typeof bag?.rotationTrigger === "string") inputs.rotationTrigger = bag.rotationTrigger;
  return inputs;
}

/**
 * The outputs stored in state for a key as the server returned it; `previous` supplies the
 * provider-only inputs. `now` (ms since the epoch) decides `expired`.
 */
export function keyToOutputs(key: AgentActKey, previous: ProviderOnlyInputs, now: number = Date.now()): ActivationKeyOutputs {
  const type = key.type ?? "UNLIMITED";
  const outputs: ActivationKeyOutputs = {
    title: key.title ?? "",
    type,
    modules: normaliseModules(key.modules ?? []),
    tagIds: normaliseTagIds((key.tags ?? []).map((t) => t.id)),
    isDisabled: key.isDisabled ?? false,
    applyOnAgents: previous.applyOnAgents,
    suspendSelfPatch: key.suspendSelfPatch ?? false,
    adopt: previous.adopt,
  };
  if (previous.successorKeyId !== undefined) outputs.successorKeyId = previous.successorKeyId;
  if (previous.rotationTrigger !== undefined) outputs.rotationTrigger = previous.rotationTrigger;
  if (COUNT_LIMITED_TYPES.includes(type) && key.countPurchased !== undefined) outputs.countPurchased = key.countPurchased;
  if (TIME_LIMITED_TYPES.includes(type) && key.expireDate !== undefined) {
    outputs.expireDate = normaliseExpireDate(key.expireDate);
    outputs.expired = Date.parse(outputs.expireDate) <= now;
  }
  if (key.ownerId !== undefined) outputs.ownerId = key.ownerId;
  if (key.networkId !== undefined) outputs.networkId = key.networkId;
  if (key.activationKey !== undefined) outputs.activationKey = key.activationKey;
  if (key.status !== undefined) outputs.status = key.status;
  if (key.countUsed !== undefined) outputs.countUsed = key.countUsed;
  if (key.datePurchased !== undefined) outputs.datePurchased = key.datePurchased;
  if (key.dateLastUsed !== undefined) outputs.dateLastUsed = key.dateLastUsed;
  return outputs;
}

/**
 * The full desired state sent on create and update (update needs `type` and replaces the key's
 * state, so nothing is sent partially). Optional ids the program does not declare are left out,
 * so the server keeps its own value.
 */
export function inputsToWrite(inputs: ActivationKeyInputs): AgentActKeyWrite {
  const write: AgentActKeyWrite = {
    title: inputs.title,
    type: inputs.type,
    modules: inputs.modules,
    tagIds: inputs.tagIds,
    isDisabled: inputs.isDisabled,
    applyOnAgents: inputs.applyOnAgents,
    suspendSelfPatch: inputs.suspendSelfPatch,
  };
  if (inputs.countPurchased !== undefined) write.countPurchased = inputs.countPurchased;
  if (inputs.expireDate !== undefined) write.expireDate = inputs.expireDate;
  if (inputs.ownerId !== undefined) write.ownerId = inputs.ownerId;
  if (inputs.networkId !== undefined) write.networkId = inputs.networkId;
  return write;
}
