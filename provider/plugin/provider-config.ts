/**
 * A provider instance's configuration as the plugin receives it, read through the same
 * resolution as the dynamic resource's stack configuration (subscription/resolve-settings.ts).
 * Properties arrive without the `qualys:` namespace; stack config gives text, while an explicit
 * provider may give typed values (generated SDKs send non-string settings JSON-encoded, YAML sends
 * them typed), so every value is read as its text.
 */
import type { PropertyBag } from "../activation-key/context";
import { UNKNOWN_VALUE } from "../activation-key/properties";
import { CONFIG_SETTING_NAMES } from "../subscription/config-properties";
import type { ConfigLookup } from "../subscription/resolve-settings";

/**
 * Inputs the engine itself adds to every provider resource (the plugin version and where to
 * download it, and its own `__`-prefixed bookkeeping): not settings, never reported as unknown.
 */
const ENGINE_PROPERTIES = ["version", "pluginDownloadURL", "pluginChecksums"];

/** The configuration as `qualys:<name>` lookups. */
export function configLookup(config: PropertyBag): ConfigLookup {
  return {
    get: (key) => {
      const value = config[key.replace(/^qualys:/, "")];
      return value === undefined || value === null ? undefined : typeof value === "string" ? value : JSON.stringify(value);
    },
  };
}

/** Whether a setting is not known yet (it comes from another resource's output during preview). */
export function hasUnknownSetting(config: PropertyBag): boolean {
  return Object.values(config).some((value) => value === UNKNOWN_VALUE);
}

/** Properties that are no setting of this provider (typos such as `maxWaitSecs`). */
export function unknownSettingNames(config: PropertyBag): string[] {
  const known: readonly string[] = CONFIG_SETTING_NAMES;
  return Object.keys(config).filter((name) => !known.includes(name) && !ENGINE_PROPERTIES.includes(name) && !name.startsWith("__"));
}
