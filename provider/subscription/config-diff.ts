/**
 * How a provider's new configuration compares with the one its keys were managed with (the
 * plugin's DiffConfig). A changed setting is reported, so `pulumi preview --diff` shows it, but
 * never forces a replacement: replacing the provider would replace every key it manages, issuing
 * new activation keys and stranding every agent enrolled with the old ones (README, "How changes
 * are applied"). Rotating a password or moving to a new API URL of the same subscription is an
 * in-place change.
 */
import { UNKNOWN_VALUE } from "../activation-key/properties";
import type { PropertyBag } from "../activation-key/context";
import { CONFIG_SETTING_NAMES, type ConfigSettingName } from "./config-properties";

/** Settings whose value differs (a value unknown during preview counts as changed), in table order. */
export function changedSettings(olds: PropertyBag, news: PropertyBag): ConfigSettingName[] {
  return CONFIG_SETTING_NAMES.filter((name) => news[name] === UNKNOWN_VALUE || textOf(olds[name]) !== textOf(news[name]));
}

/** Settings are compared as the text they resolve from (`300` and `"300"` are the same setting). */
function textOf(value: unknown): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : String(value);
}
