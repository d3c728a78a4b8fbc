/**
 * THE definition of the provider's settings (issue 9: one definition feeds every front door). From
 * this table come:
 * - where each setting is read: the stack or provider configuration (`qualys:<name>`), then the
 *   environment variable (resolve-settings.ts);
 * - the plugin schema's `config.variables` and `provider.inputProperties`, with the variable as
 *   `defaultInfo.environment` and `secret: true` on the password (provider/plugin/schema.ts).
 * Values always arrive as text from stack config; the plugin's explicit providers may send typed
 * values, which resolve-settings.ts reads through the same text rules.
 */
import { withSuggestion } from "../qualys/closest-name";

/** One provider setting: its value type, what users read, and where else it may come from. */
export interface ConfigPropertySpec {
  type: "string" | "boolean" | "number";
  /** Shown in the plugin schema (registry docs, generated SDKs' Provider args). */
  description: string;
  /** The environment variable read when the configuration leaves the setting out. */
  env: string;
  /** Stored and shown as a Pulumi secret. */
  secret?: boolean;
}

export const PROVIDER_CONFIG = {
  username: {
    type: "string",
    env: "QUALYS_USERNAME",
    description: "Qualys API user; needs API access and the CA Activation Key View/Create/Edit/Delete permissions.",
  },
  password: {
    type: "string",
    env: "QUALYS_PASSWORD",
    secret: true,
    description: "Password of the API user. Set it as a secret (`pulumi config set --secret qualys:password`).",
  },
  platform: {
    type: "string",
    env: "QUALYS_PLATFORM",
    description: "Qualys platform of the subscription: US1…US4, EU1…EU3, IN1, CA1, AE1, UK1, AU1 or KSA1. Or set apiUrl.",
  },
  apiUrl: {
    type: "string",
    env: "QUALYS_API_URL",
    description: "Explicit API server URL (private cloud, or the embedded simulator); wins over platform.",
  },
  gatewayUrl: {
    type: "string",
    env: "QUALYS_GATEWAY_URL",
    description: "Explicit gateway URL, for authMode jwt; wins over platform.",
  },
  authMode: {
    type: "string",
    env: "QUALYS_AUTH_MODE",
    description: "`basic` (default: Basic auth on every call) or `jwt` (a token from the gateway's /auth).",
  },
  allowInsecureHttp: {
    type: "boolean",
    env: "QUALYS_ALLOW_INSECURE_HTTP",
    description: "Allow plain http:// to a non-loopback host, which sends the password in clear. Default false.",
  },
  maxWaitSec: {
    type: "number",
    env: "QUALYS_MAX_WAIT_SEC",
    description: "Longest single wait for a rate or concurrency limit, seconds, before failing with QUALYS_RATE_LIMITED. Default 300.",
  },
  retryDeadlineSec: {
    type: "number",
    env: "QUALYS_RETRY_DEADLINE_SEC",
    description: "Longest total time one operation may spend waiting and retrying, seconds. Default 900.",
  },
  timeoutMs: {
    type: "number",
    env: "QUALYS_TIMEOUT_MS",
    description:
      "Longest time one HTTP request may take, last byte of the answer included, milliseconds (1 to 2147483647). Default 60000. " +
      "A request that times out is not retried.",
  },
  expiryWarningDays: {
    type: "number",
    env: "QUALYS_EXPIRY_WARNING_DAYS",
    description:
      "Warn at preview, on the resource, when a key expires within this many days (a whole number). Default 30; 0 turns the warning off.",
  },
} as const satisfies Record<string, ConfigPropertySpec>;

export type ConfigSettingName = keyof typeof PROVIDER_CONFIG;

/** The setting names, in table order. */
export const CONFIG_SETTING_NAMES = Object.keys(PROVIDER_CONFIG) as ConfigSettingName[];

/**
 * The warning for a setting this provider does not know (a typo such as `maxWaitSecs`), naming the
 * closest known one. `prefix`: how the user spells settings where the name was found (`qualys:` in
 * stack config, nothing for a provider resource's properties).
 */
export function unknownSettingWarning(name: string, prefix: string): string {
  const named = withSuggestion(`${prefix}${name}`, CONFIG_SETTING_NAMES.map((known) => `${prefix}${known}`));
  return `${named} is not a setting of the qualys provider and is ignored (settings: ${CONFIG_SETTING_NAMES.join(", ")}).`;
}
