/**
 * Refuses to send credentials in clear text. Basic auth and the `/auth` form carry the password on
 * every call, so plain http is only allowed to loopback hosts (the embedded simulator) unless the
 * user opts in with `allowInsecureHttp` (stack config `qualys:allowInsecureHttp`).
 */
import { isIP } from "node:net";
import { QualysConfigError } from "../errors";

/**
 * Whether `hostname` (as in `URL.hostname`) names this machine: 127.0.0.0/8, ::1 or `localhost`.
 * Only literal loopback addresses and `localhost` itself: `anything.localhost` is loopback by
 * RFC 6761, but Node resolves it through the system's DNS like any other name (issue 11), so a
 * resolver that answers for it would receive the password in clear.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(host);
  return false;
}

/**
 * Checks one configured base URL. `option` names the setting it came from (e.g. `qualys:apiUrl`)
 * so the error tells the user what to change; `optIn`, the setting that allows plain http, as the
 * caller reads it (the stack setting and its variable, or `QUALYS_ALLOW_INSECURE_HTTP` alone for the CLI).
 */
export function assertSecureEndpoint(url: string, option: string, allowInsecureHttp: boolean, optIn = "qualys:allowInsecureHttp (environment: QUALYS_ALLOW_INSECURE_HTTP)"): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Echo the value only when it cannot hold a `user:password@` part.
    const shown = url.includes("@") ? "" : ` "${url}"`;
    throw new QualysConfigError(`${option}${shown} is not a valid URL: expected e.g. https://qualysapi.qualys.com.`);
  }
  if (parsed.username || parsed.password) {
    throw new QualysConfigError(
      `${option} must not contain credentials: set qualys:username / qualys:password (QUALYS_USERNAME / QUALYS_PASSWORD) instead.`,
    );
  }
  // Paths are appended to the base URL, so a query or a fragment would swallow every one of them.
  if (/[?#]/.test(url)) {
    throw new QualysConfigError(
      `${option} "${parsed.origin}${parsed.pathname}" must not contain a query (?…) or a fragment (#…): ` +
        `give the base URL alone, e.g. https://qualysapi.qualys.com.`,
    );
  }
  if (parsed.protocol === "https:") return;
  if (parsed.protocol !== "http:") {
    throw new QualysConfigError(`${option} "${parsed.origin}" must use https (got ${parsed.protocol}).`);
  }
  if (allowInsecureHttp || isLoopbackHost(parsed.hostname)) return;
  throw new QualysConfigError(
    `${option} "${parsed.origin}" uses plain http: the Qualys password would cross the network unencrypted. ` +
      `Use https, or set ${optIn} to true if you really mean it.`,
  );
}
