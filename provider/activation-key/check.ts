/**
 * `check`: validates and normalises ActivationKey inputs at `pulumi preview` time, so a bad key
 * fails before anything is sent to Qualys, with a message that names the property and the fix.
 *
 * Values not known during preview arrive as the UNKNOWN_VALUE sentinel whatever their type
 * (docs/pulumi-dynamic-providers.md, "Who calls what"): they are never validated or coerced,
 * and rules that depend on them are skipped until `up` knows them.
 */
import Ajv, { type ErrorObject } from "ajv";
import { withSuggestion } from "../qualys/closest-name";
import { KNOWN_LICENSES, type ActivationKeyType } from "../qualys/types";
import { activationKeySchema } from "./input-schema";
import { isKeyId } from "./key-id";
import { xmlIllegalCharacterIn } from "../qualys/wire/xml-text";
import { ACTIVATION_KEY_PROPERTIES, INPUT_NAMES, MAX_EXACT_INTEGER, UNKNOWN_VALUE, type PropertySpec } from "./properties";
import { isCalendarDate, normaliseExpireDate, normaliseModules, normaliseTagIds, normaliseTitle, normaliseType } from "./normalize";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckOutcome {
  /** Normalised inputs when there are no failures; the inputs as given otherwise. */
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
  /** Things worth telling the user that do not stop the run (unknown license names). */
  warnings: string[];
}

export interface CheckOptions {
  /** Warn when the key expires within this many days (`qualys:expiryWarningDays`); 0 turns it off. Default 30. */
  expiryWarningDays?: number;
}

const DAY_MS = 86_400_000;

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(activationKeySchema);

const COUNT_TYPES: readonly string[] = ["COUNT_LIMITED", "COUNT_TIME_LIMITED"];
const TIME_TYPES: readonly string[] = ["TIME_LIMITED", "COUNT_TIME_LIMITED"];

/**
 * Validates `news` (the program's inputs) and returns them normalised. `now` is ms since the epoch.
 * `olds` are the inputs of the previous deployment (`{}` for a new key): an expireDate accepted
 * then is not judged again, see expiredDateRule.
 */
export function checkActivationKeyInputs(news: Record<string, unknown>, now: number, olds: Record<string, unknown> = {}, options: CheckOptions = {}): CheckOutcome {
  const given: Record<string, unknown> = {};
  const unknown = new Set<string>();
  for (const [name, value] of Object.entries(news)) {
    if (name.startsWith("__") || value === undefined || value === null) continue;
    if (isUnknown(value)) unknown.add(name);
    else given[name] = value;
  }
  // The spellings Qualys stores, before validation: limits count the trimmed title, and the type
  // rules apply to `COUNT_LIMITED` however it was written.
  if (typeof given.title === "string") given.title = normaliseTitle(given.title);
  if (typeof given.type === "string") given.type = normaliseType(given.type);
  // A resource id is a string in the engine (`${key.id}` in YAML): one written as the id rule says (key-id.ts) names the key.
  if (typeof given.successorKeyId === "string" && isKeyId(given.successorKeyId)) given.successorKeyId = Number(given.successorKeyId);

  const failures: CheckFailure[] = [];
  if (!validate(given)) {
    for (const error of validate.errors ?? []) {
      const failure = describe(error, given, news);
      if (failure && !unknown.has(failure.property)) failures.push(failure);
    }
  }
  if (typeof given.expireDate === "string" && !failures.some((f) => f.property === "expireDate") && !isCalendarDate(given.expireDate)) {
    failures.push({
      property: "expireDate",
      reason:
        `expireDate ${given.expireDate} is not a real UTC date: use a month 01–12, a day that month has, hours 00–23 and ` +
        "minutes and seconds 00–59 (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ).",
    });
  }
  const type = (given.type as ActivationKeyType | undefined) ?? (unknown.has("type") ? undefined : "UNLIMITED");
  if (type !== undefined) {
    if (!COUNT_TYPES.includes(type) && given.countPurchased !== undefined) {
      failures.push({ property: "countPurchased", reason: `countPurchased applies only to COUNT_LIMITED and COUNT_TIME_LIMITED keys, and this key is ${type}: remove countPurchased or change type.` });
    }
    if (!TIME_TYPES.includes(type) && given.expireDate !== undefined) {
      failures.push({ property: "expireDate", reason: `expireDate applies only to TIME_LIMITED and COUNT_TIME_LIMITED keys, and this key is ${type}: remove expireDate or change type.` });
    }
  }
  const expireDate = typeof given.expireDate === "string" ? normaliseExpireDate(given.expireDate) : undefined;
  const warnings: string[] = [];
  if (expireDate !== undefined && !failures.some((f) => f.property === "expireDate") && Date.parse(expireDate) <= now) {
    const expired = expiredDateRule(given, expireDate, olds);
    if (expired.failure) failures.push(expired.failure);
    else warnings.push(expired.warning);
  }
  const rotation = rotationWithNewTitle(given, olds);
  if (rotation) failures.push(rotation);
  if (failures.length > 0) return { inputs: news, failures: dedupe(failures), warnings: [] };
  const soon = expiresSoon(given.title, expireDate, now, options.expiryWarningDays ?? 30);
  if (soon) warnings.push(soon);

  const inputs: Record<string, unknown> = { ...news };
  for (const name of INPUT_NAMES) {
    const fallback = (ACTIVATION_KEY_PROPERTIES[name] as PropertySpec).default;
    if (fallback !== undefined) inputs[name] = news[name] ?? (Array.isArray(fallback) ? [] : fallback);
  }
  if (typeof given.title === "string") inputs.title = given.title;
  if (typeof given.type === "string") inputs.type = given.type;
  if (typeof given.successorKeyId === "number") inputs.successorKeyId = given.successorKeyId;
  if (Array.isArray(given.modules)) inputs.modules = normaliseModules(given.modules as string[]);
  if (Array.isArray(given.tagIds)) inputs.tagIds = normaliseTagIds(given.tagIds as number[]);
  if (expireDate !== undefined) inputs.expireDate = expireDate;
  const unknownLicenses = Array.isArray(inputs.modules) ? (inputs.modules as unknown[]).filter((m): m is string => typeof m === "string" && !isUnknown(m) && !KNOWN_LICENSES.includes(m)) : [];
  if (unknownLicenses.length > 0) {
    const named = unknownLicenses.map((m) => withSuggestion(m, KNOWN_LICENSES));
    warnings.push(
      `Key "${String(given.title ?? "?")}": module(s) ${named.join(", ")} are not among the licenses Qualys documents ` +
        `(${KNOWN_LICENSES.join(", ")}). Sent as written; check the spelling if Qualys drops them.`,
    );
  }
  return { inputs, failures: [], warnings };
}

/**
 * An expireDate in the past. A new or changed date is refused: the key would expire at once. The
 * date the key was deployed with, once passed, only earns a warning: refusing it would fail every
 * later preview and drift job of the stack (and block unrelated changes) until someone edits a
 * key that is simply expired, which is the state its owner declared.
 */
function expiredDateRule(given: Record<string, unknown>, expireDate: string, olds: Record<string, unknown>): { failure: CheckFailure; warning?: never } | { failure?: never; warning: string } {
  const previous = typeof olds.expireDate === "string" ? normaliseExpireDate(olds.expireDate) : undefined;
  if (previous === expireDate) {
    return { warning: `Key "${String(given.title ?? "?")}" expired on ${expireDate}: no new agent can activate with it. Set a later expireDate to extend it.` };
  }
  return { failure: { property: "expireDate", reason: `expireDate ${given.expireDate as string} is not in the future: the key would expire at once. Set a future UTC date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ).` } };
}

/**
 * A rotation and a new title in one run: the rotated-out key is found, and its agents' new home
 * chosen, by the title (rotate.ts), so the two changes go in separate runs.
 */
function rotationWithNewTitle(given: Record<string, unknown>, olds: Record<string, unknown>): CheckFailure | undefined {
  const rotates = typeof olds.rotationTrigger === "string" && typeof given.rotationTrigger === "string" && olds.rotationTrigger !== given.rotationTrigger;
  if (!rotates || typeof olds.title !== "string" || typeof given.title !== "string" || normaliseTitle(olds.title) === given.title) return undefined;
  return {
    property: "rotationTrigger",
    reason:
      `rotationTrigger and title both change: a rotation keeps the title ("${normaliseTitle(olds.title)}"). Rotate first, then ` +
      "change the title in a later run (or the other way round).",
  };
}

/** A warning for a key that expires within `days` days (not yet expired: that has its own). */
function expiresSoon(title: unknown, expireDate: string | undefined, now: number, days: number): string | undefined {
  if (expireDate === undefined || days <= 0) return undefined;
  const left = Date.parse(expireDate) - now;
  if (left <= 0 || left > days * DAY_MS) return undefined;
  return (
    `Key "${String(title ?? "?")}" expires on ${expireDate}, in ${Math.ceil(left / DAY_MS)} day(s): then no new agent can activate ` +
    "with it. Set a later expireDate, or rotate it (rotationTrigger). qualys:expiryWarningDays sets this warning's horizon (0: off)."
  );
}

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE || (Array.isArray(value) && value.some((v) => v === UNKNOWN_VALUE));
}

/**
 * One ajv error as a CheckFailure on the top-level property it concerns. `given` is what was
 * validated (title trimmed, type upper-cased); `written` is what the program wrote, quoted back.
 */
function describe(error: ErrorObject, given: Record<string, unknown>, written: Record<string, unknown>): CheckFailure | undefined {
  const path = error.instancePath.split("/").filter(Boolean);
  const property = error.keyword === "required" ? String(error.params.missingProperty) : (path[0] ?? "");
  const where = path.length > 1 ? `${property}[${path.slice(1).join("/")}]` : property;
  switch (error.keyword) {
    case "required":
      if (property === "title") return { property, reason: "title is required: every key needs a unique title (it identifies the key in Qualys)." };
      return { property, reason: `${property} is required for a ${String(given.type)} key: ${property === "countPurchased" ? "set the number of agents the key may activate (an integer ≥ 1)" : "set the UTC date the key expires (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"}.` };
    case "additionalProperties":
      return { property: String(error.params.additionalProperty), reason: `${String(error.params.additionalProperty)} is not an ActivationKey input: check the spelling (inputs: ${Object.keys(activationKeySchema.properties).join(", ")}).` };
    case "enum":
      return { property, reason: `${where} must be one of ${(error.params.allowedValues as string[]).join(", ")} (in any case); got ${shown(written[property])}.` };
    case "type":
      return { property, reason: `${where} must be ${error.params.type === "integer" ? "a whole number" : `a ${String(error.params.type)}`}; got ${shown(valueAt(given, path))}.` };
    case "minimum":
      return { property, reason: `${where} must be ${property === "networkId" ? "0 or more" : "a positive whole number (≥ 1)"}; got ${shown(valueAt(given, path))}.` };
    case "maximum":
      return {
        property,
        reason: `${where} must be at most ${MAX_EXACT_INTEGER} (2^53 − 1): a larger number cannot be sent to Qualys and read back exactly; got ${shown(valueAt(given, path))}.`,
      };
    case "pattern":
      if (property === "expireDate") return { property, reason: `expireDate must be a UTC date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; got ${shown(given.expireDate)}.` };
      if (property === "modules") return { property, reason: `${where} must be a license name such as VM_LICENSE or PC_LICENSE; got ${shown(valueAt(given, path))}.` };
      return {
        property,
        reason:
          `${property} holds a character XML cannot carry (${xmlIllegalCharacterIn(String(given[property])) ?? "?"}), and Qualys' API is XML: ` +
          "remove control characters, U+FFFE/U+FFFF and unpaired surrogates.",
      };
    case "minLength":
      return { property, reason: `${property} must not be empty or blank.` };
    case "maxLength":
      return { property, reason: `${property} must be 1 to 256 characters long (leading and trailing whitespace not counted).` };
    case "if":
      return undefined; // the "then" branch's own "required" error says what is missing
    default:
      return { property, reason: `${where} ${error.message ?? "is invalid"}.` };
  }
}

/** A value quoted in a message: numbers as written (JSON would show Infinity as null). */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

function valueAt(given: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = given;
  for (const part of path) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

/** One failure per property, the first found: a user fixes one thing at a time. */
function dedupe(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => (seen.has(f.property) ? false : (seen.add(f.property), true)));
}
