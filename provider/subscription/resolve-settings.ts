/**
 * Where the provider's settings come from: the stack configuration handed to `configure()`
 * (`qualys:*`, secrets already decrypted by the engine), then the QUALYS_* environment variables.
 * The fallback matters because `pulumi destroy` and `pulumi refresh` run the provider with state
 * alone, and CI jobs often have only the variables. Credentials are never taken from resource
 * arguments: those would be serialized into state (docs/pulumi-dynamic-providers.md, rule 2).
 * The settings, their variables and their types are defined once, in config-properties.ts.
 *
 * Every refusal is a QualysConfigError naming the setting (`error.setting`), so the plugin's
 * CheckConfig can report it on that property. A refusal quotes the value it refuses, except a value
 * that came as a secret or holds the username or password (a pasted password in qualys:maxWaitSec):
 * that refusal says what was expected instead, so the value reaches no preview output or log.
 */
import { authModeOf, requestTimeoutMs } from "../qualys/client";
import { QualysConfigError } from "../qualys/errors";
import { resolveEndpoints } from "../qualys/platforms";
import { assertSecureEndpoint } from "../qualys/transport/endpoint-security";
import type { AuthMode } from "../qualys/types";
import { PROVIDER_CONFIG, type ConfigPropertySpec, type ConfigSettingName } from "./config-properties";

/** The part of Pulumi's dynamic `Config` we use. */
export interface ConfigLookup {
  get(key: string): string | undefined;
  /** Whether the engine marked `key` secret (the plugin knows; the dynamic host's config does not say). */
  isSecret?(key: string): boolean;
}

export interface ProviderSettings {
  apiUrl: string;
  gatewayUrl?: string;
  username: string;
  password: string;
  authMode: AuthMode;
  allowInsecureHttp: boolean;
  /** Longest single wait for a limit, seconds. */
  maxWaitSec?: number;
  /** Longest total waiting and retrying per operation, seconds. */
  retryDeadlineSec?: number;
  /** Whole-request timeout, ms (the client's default when unset). */
  timeoutMs?: number;
  /**
   * `QUALYS_RECORD`: the file every exchange is appended to, masked (exchange-recorder.ts). From
   * the environment only, like QUALYS_DEBUG: it is about one run, not about the stack.
   */
  recordFile?: string;
  /** Warn when a key expires within this many days; 0: never. Default 30 (check.ts). */
  expiryWarningDays?: number;
}

/**
 * `config` undefined: the caller reads the environment only (`qualys-keys`), so refusals name the
 * QUALYS_* variables and never a `pulumi config set` the caller would ignore.
 */
export function resolveProviderSettings(config: ConfigLookup | undefined, env: NodeJS.ProcessEnv): ProviderSettings {
  const value = (name: ConfigSettingName): string | undefined => {
    const fromConfig = config?.get(`qualys:${name}`);
    const raw = fromConfig !== undefined && fromConfig !== "" ? fromConfig : env[PROVIDER_CONFIG[name].env];
    return raw === undefined || raw === "" ? undefined : raw;
  };
  /** How the user spells the setting where this caller reads it. */
  const label = (name: ConfigSettingName): string => (config ? `qualys:${name}` : PROVIDER_CONFIG[name].env);

  const username = value("username");
  const password = value("password");
  if (!username || !password) {
    const missing = (["username", "password"] as const).filter((name) => !value(name));
    const pronoun = missing.length > 1 ? "them" : "it";
    const variables = missing.map((name) => PROVIDER_CONFIG[name].env).join(" and ");
    const commands = missing.map((name) => (name === "username" ? "`pulumi config set qualys:username <user>`" : "`pulumi config set --secret qualys:password`"));
    throw new QualysConfigError(
      `No Qualys ${missing.join(" and ")}. ` +
        (config
          ? `Set ${pronoun} in the stack: ${commands.join(" and ")} — or in the environment: ${variables}.`
          : `Set ${pronoun} in the environment: ${variables}.`),
      missing[0],
    );
  }
  // A setting's value may be shown in its refusal unless it is secret or holds a credential.
  const hidden = (name: ConfigSettingName): string | undefined => {
    const raw = value(name);
    if (raw === undefined) return undefined;
    if ((PROVIDER_CONFIG[name] as ConfigPropertySpec).secret || config?.isSecret?.(`qualys:${name}`)) return "came as a secret";
    // A username shorter than 4 characters would hide every value containing those letters.
    if (raw.includes(password) || (username.length >= 4 && raw.includes(username))) return "holds a credential";
    return undefined;
  };
  /** Runs a check of `setting` (values of `sources` involved), naming it on the QualysConfigError thrown. */
  const onSetting = <T>(setting: ConfigSettingName, check: () => T, sources: readonly ConfigSettingName[] = [setting]): T => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof QualysConfigError)) throw error;
      const why = sources.map(hidden).find((reason) => reason !== undefined);
      if (why !== undefined) {
        throw new QualysConfigError(
          `${label(setting)} is not valid; its value is not shown because it ${why}. Expected: ${PROVIDER_CONFIG[setting].description}`,
          setting,
        );
      }
      if (error.setting === undefined) throw new QualysConfigError(error.message, setting);
      throw error;
    }
  };

  const platform = value("platform");
  const apiUrl = value("apiUrl");
  if (!platform && !apiUrl) {
    throw new QualysConfigError(
      `No Qualys endpoint. Set ${label("platform")} (US1…US4, EU1…EU3, IN1, CA1, AE1, UK1, AU1, KSA1) or ${label("apiUrl")}` +
        (config ? " (environment: QUALYS_PLATFORM or QUALYS_API_URL)." : "."),
      "platform",
    );
  }
  const endpointSettings: ConfigSettingName[] = ["platform", "apiUrl", "gatewayUrl"];
  const endpoints = onSetting("platform", () => resolveEndpoints({ platform, apiUrl, gatewayUrl: value("gatewayUrl") }), endpointSettings);
  // authMode and timeoutMs are checked by the client's own rules (client.ts), here naming the setting.
  const authMode = onSetting("authMode", () => authModeOf((value("authMode") ?? "basic").toLowerCase()));
  const allowInsecureHttp = onSetting("allowInsecureHttp", () => booleanSetting(label("allowInsecureHttp"), "allowInsecureHttp", value("allowInsecureHttp")));
  // The client refuses the same URLs when it is built; checking them here names the setting.
  const optIn = config ? undefined : PROVIDER_CONFIG.allowInsecureHttp.env;
  const urlSetting = apiUrl ? "apiUrl" : "platform";
  onSetting(urlSetting, () => assertSecureEndpoint(endpoints.apiUrl, label(urlSetting), allowInsecureHttp, optIn), endpointSettings);
  if (endpoints.gatewayUrl) {
    const gatewayUrl = endpoints.gatewayUrl;
    onSetting("gatewayUrl", () => assertSecureEndpoint(gatewayUrl, label("gatewayUrl"), allowInsecureHttp, optIn), endpointSettings);
  }
  const settings: ProviderSettings = { apiUrl: endpoints.apiUrl, username, password, authMode, allowInsecureHttp };
  if (endpoints.gatewayUrl) settings.gatewayUrl = endpoints.gatewayUrl;
  const maxWaitSec = onSetting("maxWaitSec", () => secondsSetting(label("maxWaitSec"), "maxWaitSec", value("maxWaitSec")));
  if (maxWaitSec !== undefined) settings.maxWaitSec = maxWaitSec;
  const retryDeadlineSec = onSetting("retryDeadlineSec", () => secondsSetting(label("retryDeadlineSec"), "retryDeadlineSec", value("retryDeadlineSec")));
  if (retryDeadlineSec !== undefined) settings.retryDeadlineSec = retryDeadlineSec;
  const timeoutMs = value("timeoutMs");
  if (timeoutMs !== undefined) settings.timeoutMs = onSetting("timeoutMs", () => requestTimeoutMs(timeoutMs));
  if (env.QUALYS_RECORD) settings.recordFile = env.QUALYS_RECORD;
  const expiryWarningDays = value("expiryWarningDays");
  if (expiryWarningDays !== undefined) settings.expiryWarningDays = onSetting("expiryWarningDays", () => daysSetting(label("expiryWarningDays"), "expiryWarningDays", expiryWarningDays));
  return settings;
}

function booleanSetting(label: string, name: ConfigSettingName, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new QualysConfigError(`${label} must be true or false, got "${raw}".`, name);
}

function daysSetting(label: string, name: ConfigSettingName, raw: string): number {
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0) throw new QualysConfigError(`${label} must be a whole number of days (0 turns it off), got "${raw}".`, name);
  return days;
}

function secondsSetting(label: string, name: ConfigSettingName, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new QualysConfigError(`${label} must be a positive number of seconds, got "${raw}".`, name);
  }
  return seconds;
}
