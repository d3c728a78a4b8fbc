/**
 * Where the provider's settings come from: the stack configuration handed to `configure()`
 * (`qualys:*`, secrets already decrypted by the engine), then the QUALYS_* environment variables.
 * The fallback matters because `pulumi destroy` and `pulumi refresh` run the provider with state
 * alone, and CI jobs often have only the variables. Credentials are never taken from resource
 * arguments: those would be serialized into state (shared/docs/pulumi-dynamic-providers.md, rule 2).
 */
import { isValidTimeoutMs, MAX_TIMEOUT_MS } from "../qualys/client";
import { QualysConfigError } from "../qualys/errors";
import { resolveEndpoints } from "../qualys/platforms";
import type { AuthMode } from "../qualys/types";

/** The part of Pulumi's dynamic `Config` we use. */
export interface ConfigLookup {
  get(key: string): string | undefined;
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
}

/** Stack config key (without the `qualys:` namespace) → environment variable. */
const SOURCES = {
  username: "QUALYS_USERNAME",
  password: "QUALYS_PASSWORD",
  platform: "QUALYS_PLATFORM",
  apiUrl: "QUALYS_API_URL",
  gatewayUrl: "QUALYS_GATEWAY_URL",
  authMode: "QUALYS_AUTH_MODE",
  allowInsecureHttp: "QUALYS_ALLOW_INSECURE_HTTP",
  maxWaitSec: "QUALYS_MAX_WAIT_SEC",
  retryDeadlineSec: "QUALYS_RETRY_DEADLINE_SEC",
  timeoutMs: "QUALYS_TIMEOUT_MS",
} as const;

type Setting = keyof typeof SOURCES;

export function resolveProviderSettings(config: ConfigLookup | undefined, env: NodeJS.ProcessEnv): ProviderSettings {
  const value = (name: Setting): string | undefined => {
    const fromConfig = config?.get(`qualys:${name}`);
    const raw = fromConfig !== undefined && fromConfig !== "" ? fromConfig : env[SOURCES[name]];
    return raw === undefined || raw === "" ? undefined : raw;
  };

  const username = value("username");
  const password = value("password");
  if (!username || !password) {
    const missing = [!username && "username", !password && "password"].filter(Boolean).join(" and ");
    throw new QualysConfigError(
      `No Qualys ${missing}. Set them in the stack: \`pulumi config set qualys:username <user>\` and ` +
        "`pulumi config set --secret qualys:password` — or in the environment: QUALYS_USERNAME and QUALYS_PASSWORD.",
    );
  }
  const platform = value("platform");
  const apiUrl = value("apiUrl");
  if (!platform && !apiUrl) {
    throw new QualysConfigError(
      "No Qualys endpoint. Set qualys:platform (US1…US4, EU1…EU3, IN1, CA1, AE1, UK1, AU1, KSA1) or qualys:apiUrl " +
        "(environment: QUALYS_PLATFORM or QUALYS_API_URL).",
    );
  }
  const endpoints = resolveEndpoints({ platform, apiUrl, gatewayUrl: value("gatewayUrl") });
  const authMode = (value("authMode") ?? "basic").toLowerCase();
  if (authMode !== "basic" && authMode !== "jwt") {
    throw new QualysConfigError(`qualys:authMode must be "basic" or "jwt", got "${authMode}".`);
  }
  const settings: ProviderSettings = {
    apiUrl: endpoints.apiUrl,
    username,
    password,
    authMode,
    allowInsecureHttp: booleanSetting("allowInsecureHttp", value("allowInsecureHttp")),
  };
  if (endpoints.gatewayUrl) settings.gatewayUrl = endpoints.gatewayUrl;
  const maxWaitSec = secondsSetting("maxWaitSec", value("maxWaitSec"));
  if (maxWaitSec !== undefined) settings.maxWaitSec = maxWaitSec;
  const retryDeadlineSec = secondsSetting("retryDeadlineSec", value("retryDeadlineSec"));
  if (retryDeadlineSec !== undefined) settings.retryDeadlineSec = retryDeadlineSec;
  const timeoutMs = millisecondsSetting("timeoutMs", value("timeoutMs"));
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  return settings;
}

function booleanSetting(name: Setting, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new QualysConfigError(`qualys:${name} must be true or false, got "${raw}".`);
}

function secondsSetting(name: Setting, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new QualysConfigError(`qualys:${name} must be a positive number of seconds, got "${raw}".`);
  }
  return seconds;
}

function millisecondsSetting(name: Setting, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!isValidTimeoutMs(ms)) {
    throw new QualysConfigError(
      `qualys:${name} (${SOURCES[name]}) must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got "${raw}".`,
    );
  }
  return ms;
}
