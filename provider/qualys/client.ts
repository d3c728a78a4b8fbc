/**
 * Entry point of the Qualys client: validates the options and wires transport, authentication,
 * scheduler and endpoints together.
 */
import { createAgentActKeyApi } from "./api/agentactkey-api";
import type { Authenticator } from "./transport/authenticator";
import { basicAuthenticator } from "./transport/basic-auth";
import { assertSecureEndpoint } from "./transport/endpoint-security";
import { QualysConfigError } from "./errors";
import { exchangeRecorder } from "./transport/exchange-recorder";
import { createHttpTransport } from "./transport/http-transport";
import { jwtAuthenticator } from "./transport/jwt-authenticator";
import { passThroughScheduler } from "./api/pass-through-scheduler";
import { normaliseBaseUrl } from "./platforms";
import { credentialForms } from "./redact";
import { systemClock } from "./system-clock";
import type { AgentActKeyApi, AuthMode, QualysClientOptions } from "./types";

/** Default per-request timeout: QPS searches of 1000 keys can take tens of seconds. */
const DEFAULT_TIMEOUT_MS = 60_000;

/** Node's timers hold at most 2^31 - 1 ms; a longer timeout would silently fire after 1 ms. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The one check of qualys:authMode, for the client and the provider settings alike: `mode` as an
 * AuthMode, or a QualysConfigError.
 */
export function authModeOf(mode: string): AuthMode {
  if (mode !== "basic" && mode !== "jwt") throw new QualysConfigError(`qualys:authMode must be "basic" or "jwt", got "${mode}".`);
  return mode;
}

/**
 * The one check of qualys:timeoutMs, for the client and the provider settings alike: `raw` (a
 * number, or digits as text from the configuration) as a whole number of milliseconds a timer can
 * hold, or a QualysConfigError.
 */
export function requestTimeoutMs(raw: number | string): number {
  const ms = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(ms) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new QualysConfigError(`qualys:timeoutMs (QUALYS_TIMEOUT_MS) must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got "${raw}".`);
  }
  return ms;
}

/**
 * Creates the activation-key API of one subscription. Throws `QualysConfigError` when the options
 * cannot work: missing credentials, plain http to a non-loopback host without `allowInsecureHttp`,
 * or `authMode: "jwt"` without a gateway URL.
 */
export function createQualysClient(options: QualysClientOptions): AgentActKeyApi {
  const allowInsecureHttp = options.allowInsecureHttp ?? false;
  const apiUrl = normaliseBaseUrl(options.apiUrl);
  const gatewayUrl = normaliseBaseUrl(options.gatewayUrl);
  if (!apiUrl) throw new QualysConfigError("No Qualys API URL: set qualys:platform or qualys:apiUrl (QUALYS_PLATFORM / QUALYS_API_URL).");
  assertSecureEndpoint(apiUrl, "qualys:apiUrl", allowInsecureHttp);
  if (gatewayUrl) assertSecureEndpoint(gatewayUrl, "qualys:gatewayUrl", allowInsecureHttp);
  if (!options.username) throw new QualysConfigError("No Qualys user name: set qualys:username (or QUALYS_USERNAME).");
  if (!options.password) {
    throw new QualysConfigError("No Qualys password: set it with `pulumi config set --secret qualys:password` (or QUALYS_PASSWORD).");
  }
  const authMode = authModeOf(String(options.authMode ?? "basic"));
  const timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : requestTimeoutMs(options.timeoutMs);

  // A living list: the JWT authenticator adds each token it obtains.
  const secrets = credentialForms(options.username, options.password);
  const transport = createHttpTransport({
    timeoutMs,
    caps: options.answerCaps,
    logger: options.logger,
    secrets,
    onExchange: exchangeRecorder({ file: options.recordFile, observers: options.onExchange ? [options.onExchange] : [], secrets, logger: options.logger }),
  });
  let authenticator: Authenticator;
  if (authMode === "jwt") {
    if (!gatewayUrl) {
      throw new QualysConfigError(
        'qualys:authMode "jwt" needs the gateway URL: set qualys:platform or qualys:gatewayUrl (QUALYS_GATEWAY_URL).',
      );
    }
    authenticator = jwtAuthenticator({
      gatewayUrl,
      username: options.username,
      password: options.password,
      transport,
      clock: options.clock ?? systemClock,
      secrets,
    });
  } else {
    authenticator = basicAuthenticator(options.username, options.password);
  }
  return createAgentActKeyApi({
    apiUrl,
    transport,
    authenticator,
    scheduler: options.scheduler ?? passThroughScheduler,
    secrets,
    logger: options.logger,
  });
}
