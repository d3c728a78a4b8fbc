/**
 * The rules over one activation key. Each reads only the properties it judges (see KeyView), and
 * its message names properties and configured bounds, never a value of the key (see KeyRule).
 * Limits that mirror the provider's own come from the property definition.
 */
import { ACTIVATION_KEY_PROPERTIES, LICENSE_NAME_PATTERN } from "../activation-key/properties";
import { normaliseExpireDate, normaliseModules, normaliseTitle, normaliseType, TIME_LIMITED_TYPES } from "../activation-key/normalize";
import { KNOWN_LICENSES } from "../qualys/types";
import { PROPERTY } from "./key-view";
import { agentCountSetting, idListSetting, regexSetting } from "./settings";
import type { KeyRule, KeyView } from "./types";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The key's type as the provider stores it; the provider's default when the program leaves it out. */
function typeOf(key: KeyView): string {
  return normaliseType(key.get(PROPERTY.type) ?? ACTIVATION_KEY_PROPERTIES.type.default);
}

export const ownerRequired: KeyRule<{ allowedOwnerIds: readonly number[] }> = {
  name: "qualys-key-owner-required",
  description: "Every activation key names its owner (ownerId): the Qualys user who receives the remediation tickets of its agents.",
  enforcementLevel: "advisory",
  config: { allowedOwnerIds: idListSetting("When not empty, the Qualys user ids a key's ownerId must be one of.") },
  check(key, { config }) {
    const owner = key.get(PROPERTY.ownerId);
    if (owner === undefined) return `${PROPERTY.ownerId} is not set: name the Qualys user who owns this key's agents.`;
    if (config.allowedOwnerIds.length > 0 && !config.allowedOwnerIds.includes(owner)) {
      return `${PROPERTY.ownerId} is not one of the allowed owners (allowedOwnerIds: ${config.allowedOwnerIds.join(", ")}).`;
    }
    return undefined;
  },
};

export const expiryBounded: KeyRule<{ maxDays: number }> = {
  name: "qualys-key-expiry-bounded",
  description: `A time-limited key (${TIME_LIMITED_TYPES.join(", ")}) has an expireDate, at most maxDays days ahead.`,
  enforcementLevel: "mandatory",
  config: { maxDays: { schema: { type: "integer", minimum: 1, maximum: 36500, description: "The furthest a time-limited key may expire, in days from the analysis.", default: 365 } } },
  check(key, { config, now }) {
    if (!TIME_LIMITED_TYPES.includes(typeOf(key))) return undefined;
    const expireDate = key.get(PROPERTY.expireDate);
    if (expireDate === undefined) return `${PROPERTY.expireDate} is not set: a time-limited key must expire within ${config.maxDays} days.`;
    const expires = Date.parse(normaliseExpireDate(expireDate));
    if (Number.isNaN(expires)) return `${PROPERTY.expireDate} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC).`;
    if (expires > now + config.maxDays * DAY_MS) return `${PROPERTY.expireDate} is more than ${config.maxDays} days ahead: a time-limited key must expire within ${config.maxDays} days.`;
    return undefined;
  },
};

export const modulesAllowed: KeyRule<{ allowedModules: readonly string[] }> = {
  name: "qualys-key-modules-allowed",
  description: "A key asks only for modules on the allowlist (default: the license names Qualys documents).",
  enforcementLevel: "mandatory",
  config: {
    allowedModules: {
      schema: {
        type: "array",
        items: { type: "string", pattern: LICENSE_NAME_PATTERN },
        description: "License names a key may ask for, in any case.",
        default: KNOWN_LICENSES,
      },
    },
  },
  check(key, { config }) {
    const allowed = normaliseModules(config.allowedModules);
    const outside = normaliseModules(key.get(PROPERTY.modules) ?? []).filter((module) => !allowed.includes(module));
    if (outside.length === 0) return undefined;
    return `${PROPERTY.modules} asks for ${outside.length} module(s) not on the allowlist (allowedModules: ${allowed.join(", ")}).`;
  },
};

export const noUnlimitedInProduction: KeyRule<{ productionStacks: string }> = {
  name: "qualys-key-no-unlimited-in-production",
  description: "No UNLIMITED key on a production stack (a stack whose name matches productionStacks): production keys are limited by count or time.",
  enforcementLevel: "mandatory",
  config: {
    productionStacks: regexSetting("A JavaScript regular expression that production stack names match.", "(^|[-_.])(prod|production)($|[-_.])"),
  },
  check(key, { config }) {
    if (!new RegExp(config.productionStacks).test(key.stack) || typeOf(key) !== "UNLIMITED") return undefined;
    return `${PROPERTY.type} UNLIMITED is not allowed on the production stack ${key.stack} (productionStacks: ${config.productionStacks}): use a COUNT_* or TIME_* type.`;
  },
};

export const titlePattern: KeyRule<{ pattern: string }> = {
  name: "qualys-key-title-pattern",
  description: "A key's title follows the team's naming convention (pattern), compared without leading and trailing whitespace as Qualys stores it.",
  enforcementLevel: "advisory",
  config: {
    pattern: regexSetting("A JavaScript regular expression every title matches.", "^[a-z0-9]+(-[a-z0-9]+)*$"),
  },
  check(key, { config }) {
    const title = key.get(PROPERTY.title);
    if (title === undefined || new RegExp(config.pattern).test(normaliseTitle(title))) return undefined;
    return `${PROPERTY.title} does not follow the naming convention (pattern: ${config.pattern}).`;
  },
};

export const requiredTags: KeyRule<{ requiredTagIds: readonly number[]; teamTagIds: readonly number[] }> = {
  name: "qualys-key-required-tags",
  description: "A key carries every required tag (requiredTagIds) and at least one team tag (teamTagIds); an empty list requires nothing.",
  enforcementLevel: "mandatory",
  config: {
    requiredTagIds: idListSetting("Tag ids every key carries."),
    teamTagIds: idListSetting("Team tag ids: every key carries at least one of them."),
  },
  check(key, { config }) {
    const tagIds = key.get(PROPERTY.tagIds) ?? [];
    const missing = config.requiredTagIds.filter((id) => !tagIds.includes(id));
    if (missing.length > 0) return `${PROPERTY.tagIds} lacks the required tag id(s) ${missing.join(", ")}.`;
    if (config.teamTagIds.length > 0 && !config.teamTagIds.some((id) => tagIds.includes(id))) {
      return `${PROPERTY.tagIds} has no team tag: add one of ${config.teamTagIds.join(", ")} (teamTagIds).`;
    }
    return undefined;
  },
};

export const countLimit: KeyRule<{ maxCountPurchased: number }> = {
  name: "qualys-key-count-limit",
  description: "A key's countPurchased is at most maxCountPurchased agents.",
  enforcementLevel: "mandatory",
  config: {
    maxCountPurchased: agentCountSetting("The most agents one key may activate.", 10000),
  },
  check(key, { config }) {
    const count = key.get(PROPERTY.countPurchased);
    if (count === undefined || count <= config.maxCountPurchased) return undefined;
    return `${PROPERTY.countPurchased} is above ${config.maxCountPurchased} agents (maxCountPurchased).`;
  },
};

/** Every rule over one key, in the order GetAnalyzerInfo lists them. */
export const KEY_RULES: readonly KeyRule[] = [ownerRequired, expiryBounded, modulesAllowed, noUnlimitedInProduction, titlePattern, requiredTags, countLimit];
