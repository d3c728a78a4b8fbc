/**
 * Keeps one JWT per (gateway, user) and renews it before it expires. Qualys tokens live 4 hours
 * (docs/qualys-api.md, "Authentication and platforms"); the lifetime is read
 * from the token's `exp` claim when present. Concurrent callers share one in-flight `/auth` call,
 * so a `pulumi up` of many resources asks for one token, not one per resource.
 */
import { createHash } from "node:crypto";
import type { Clock } from "../types";

/** Lifetime assumed when the token carries no readable `exp` claim. */
export const DEFAULT_JWT_LIFETIME_MS = 4 * 60 * 60 * 1000;
/** Renew this long before expiry so a long call never starts with a token about to die. */
export const JWT_REFRESH_EARLY_MS = 5 * 60 * 1000;

export class JwtTokenCache {
  private current?: { token: string; renewAt: number };
  private inFlight?: Promise<string>;

  /** `fetchToken` performs the `/auth` call; `clock` decides when a token is due for renewal. */
  constructor(
    private readonly fetchToken: () => Promise<string>,
    private readonly clock: Clock,
  ) {}

  /** A valid token: the cached one, or a fresh one fetched once for every concurrent caller. */
  async token(): Promise<string> {
    if (this.current && this.clock.now() < this.current.renewAt) return this.current.token;
    this.inFlight ??= this.fetchAndStore().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forgets `rejected` (the server refused it) so the next `token()` fetches a new one. */
  invalidate(rejected: string): void {
    if (this.current?.token === rejected) this.current = undefined;
  }

  private async fetchAndStore(): Promise<string> {
    const issuedAt = this.clock.now();
    const token = await this.fetchToken();
    const expiresAt = jwtExpiry(token) ?? issuedAt + DEFAULT_JWT_LIFETIME_MS;
    // Short-lived tokens (tests, custom gateways) renew halfway rather than never being "fresh".
    const margin = Math.min(JWT_REFRESH_EARLY_MS, Math.max(0, (expiresAt - issuedAt) / 2));
    this.current = { token, renewAt: expiresAt - margin };
    return token;
  }
}

/** The `exp` claim of a JWT in ms since the epoch, or undefined when the token is opaque. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    return typeof claims.exp === "number" && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

// Per clock, so that tests with their own fake clock never share a token with another test that
// happens to get the same loopback port; in production every client uses the one system clock.
const cachesByClock = new WeakMap<Clock, Map<string, JwtTokenCache>>();

/**
 * The process-wide cache of one (gateway, user). The password's hash is part of the key so that
 * a changed password never reuses a token obtained with the old one; the password itself is
 * never stored as a key. The first caller's `fetchToken` serves every later caller of that key.
 */
export function sharedJwtTokenCache(
  gatewayUrl: string,
  username: string,
  password: string,
  fetchToken: () => Promise<string>,
  clock: Clock,
): JwtTokenCache {
  const passwordHash = createHash("sha256").update(password).digest("hex");
  const cacheKey = `${gatewayUrl}\n${username}\n${passwordHash}`;
  let caches = cachesByClock.get(clock);
  if (!caches) {
    caches = new Map();
    cachesByClock.set(clock, caches);
  }
  let cache = caches.get(cacheKey);
  if (!cache) {
    cache = new JwtTokenCache(fetchToken, clock);
    caches.set(cacheKey, cache);
  }
  return cache;
}
