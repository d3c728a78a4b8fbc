/**
 * A provider instance's configuration as properties (the plugin's provider resources, default or
 * explicit), read through the same resolution as the dynamic resource's stack configuration
 * (resolve-settings.ts). Properties come without the `qualys:` namespace; stack config gives text,
 * while an explicit provider may give typed values (generated SDKs send non-string settings
 * JSON-encoded, YAML sends them typed), so every value is read as its text.
 */
import type { CheckFailure } from "../activation-key/check";
import type { PropertyBag } from "../activation-key/context";
import { UNKNOWN_VALUE } from "../activation-key/properties";
import { QualysConfigError } from "../qualys/errors";
import { CONFIG_SETTING_NAMES } from "./config-properties";
import { resolveProviderSettings, type ConfigLookup } from "./resolve-settings";
import type { SubscriptionRegistry } from "./subscription-registry";

/**
 * Inputs the engine itself adds to every provider resource (the plugin version and where to
 * download it, and its own `__`-prefixed bookkeeping): not settings, never reported as unknown.
 */
const ENGINE_PROPERTIES = ["version", "pluginDownloadURL", "pluginChecksums"];

/** The configuration as `qualys:<name>` lookups; `secretNames` are the settings the engine sent as secrets. */
export function configLookup(config: PropertyBag, secretNames: Iterable<string> = []): ConfigLookup {
  const secrets = new Set(secretNames);
  return {
    isSecret: (key) => secrets.has(key.replace(/^qualys:/, "")),
    get: (key) => {
      const value = config[key.replace(/^qualys:/, "")];
      return value === undefined || value === null ? undefined : typeof value === "string" ? value : JSON.stringify(value);
    },
  };
}

/**
 * What is wrong with a provider's configuration, one failure naming the setting, without calling
 * Qualys: the settings resolve (environment fallbacks included) and the subscription's client can
 * be built from them. A configuration with a value not known yet (another resource's output,
 * during preview) is judged at `up`, when it is known, like an unknown resource input (check.ts).
 * A refusal that names no setting is thrown.
 */
export function providerConfigFailures(config: PropertyBag, env: NodeJS.ProcessEnv, subscriptions: SubscriptionRegistry, secretNames: Iterable<string> = []): CheckFailure[] {
  if (Object.values(config).some((value) => value === UNKNOWN_VALUE)) return [];
  try {
    subscriptions.contextFor(resolveProviderSettings(configLookup(config, secretNames), env));
    return [];
  } catch (error) {
    if (error instanceof QualysConfigError && error.setting) return [{ property: error.setting, reason: error.message }];
    throw error;
  }
}

/** Properties that are no setting of this provider (typos such as `maxWaitSecs`). */
export function unknownSettingNames(config: PropertyBag): string[] {
  const known: readonly string[] = CONFIG_SETTING_NAMES;
  return Object.keys(config).filter((name) => !known.includes(name) && !ENGINE_PROPERTIES.includes(name) && !name.startsWith("__"));
}
