/**
 * JWT authentication: `POST <gateway>/auth` with the form `username`, `password`, `token=true`,
 * answered by 201 and the raw token (Qualys' "Get Started with VMDR OT APIs", "Introduction to
 * VMDR OT API Paradigm"; docs/qualys-api.md, "Authentication and platforms"), then
 * `Authorization: Bearer <token>` on every call. The auth API is not rate limited (same page,
 * "API Rate Limits"), so the token request bypasses the scheduler.
 */
import type { Authenticator } from "./authenticator";
import { callContext } from "../call-context";
import { QualysAuthError, QualysHttpError } from "../errors";
import type { HttpTransport } from "./http-transport";
import { sharedJwtTokenCache } from "./jwt-token-cache";
import { addSecret } from "../redact";
import type { Clock } from "../types";

interface JwtAuthOptions {
  gatewayUrl: string;
  username: string;
  password: string;
  transport: HttpTransport;
  clock: Clock;
  /**
   * The client's living secrets list (redact.ts `credentialForms`): every token handed out is added,
   * so an answer that echoes it is redacted even when the token is not a recognisable JWT. Tokens
   * come from a cache shared with other clients, so each one is added when used, not when fetched.
   */
  secrets: string[];
}

export function jwtAuthenticator(options: JwtAuthOptions): Authenticator {
  const cache = sharedJwtTokenCache(
    options.gatewayUrl,
    options.username,
    options.password,
    () => requestJwt(options),
    options.clock,
  );
  return {
    async authorization() {
      const token = await cache.token();
      addSecret(options.secrets, token);
      return `Bearer ${token}`;
    },
    async renewAfterRejection(rejected) {
      cache.invalidate(rejected.replace(/^Bearer\s+/, ""));
      return true;
    },
  };
}

/** One `/auth` call. Throws QualysAuthError on 401/403, QualysHttpError on anything else unexpected. */
async function requestJwt(options: JwtAuthOptions): Promise<string> {
  const url = `${options.gatewayUrl}/auth`;
  const res = await options.transport.send({
    context: callContext("auth", options.secrets),
    method: "POST",
    url,
    contentType: "application/x-www-form-urlencoded",
    body: new URLSearchParams({ username: options.username, password: options.password, token: "true" }).toString(),
  });
  const token = res.body.trim();
  if ((res.statusCode === 201 || res.statusCode === 200) && token && !/\s|</.test(token)) return token;
  if (res.statusCode === 401 || res.statusCode === 403) {
    throw new QualysAuthError(
      `Qualys gateway ${options.gatewayUrl} refused the credentials of user "${options.username}" (HTTP ${res.statusCode}). ` +
        `Check qualys:username / qualys:password (QUALYS_USERNAME / QUALYS_PASSWORD) and that the account has API access; ` +
        `or use qualys:authMode basic.`,
      { ...res.context, statusCode: res.statusCode },
    );
  }
  throw new QualysHttpError(
    `Qualys gateway ${url} answered HTTP ${res.statusCode} without a token (expected 201 and the raw JWT). ` +
      `Check qualys:gatewayUrl / qualys:platform.`,
    // Never quote a 2xx body: it may be a token.
    { ...res.context, statusCode: res.statusCode, body: res.statusCode >= 300 ? res.body : undefined },
  );
}
