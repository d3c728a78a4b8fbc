/**
 * Turns a request that got no answer into one `QualysNetworkError` that names the URL, says
 * whether the request can have reached the server, and gives the fix for that kind of failure.
 */
import type { CallContext } from "../call-context";
import { QualysNetworkError } from "../errors";
import { quoteServerText } from "../redact";
import type { RequestSummary } from "../types";

/**
 * TLS certificate verification failures (OpenSSL's X509 verify codes as Node reports them, and
 * Node's own ERR_TLS_CERT_ALTNAME_INVALID): the handshake failed, so no request was sent.
 */
const CERTIFICATE_CODE = /CERT|UNABLE_TO_(GET_ISSUER|VERIFY_LEAF)|SELF_SIGNED/;

/** The phases of a new connection, before the request is written: each has its own bound. */
export type ConnectPhase = "lookup" | "connect" | "secureConnect";

/**
 * A phase of the exchange ran out of time: a connecting phase, or `request`, the whole exchange
 * from the start to the last byte of the answer (`qualys:timeoutMs`). Its code is the errno name a
 * socket timeout carries, so code-based checks treat both alike.
 */
export class RequestTimeout extends Error {
  readonly code = "ETIMEDOUT";
  constructor(
    readonly phase: ConnectPhase | "request",
    readonly limitMs: number,
  ) {
    super(`no progress in the ${phase} phase within ${limitMs} ms`);
    this.name = "RequestTimeout";
  }
}

/**
 * The error of a call (`context`, with the request sent) that got no answer: `error` is node's (or a
 * `RequestTimeout`), as raised; `timeoutMs` is the per-request timeout in force, for the message.
 */
export function networkFailure(error: unknown, context: CallContext & { request: RequestSummary }, timeoutMs: number): QualysNetworkError {
  const networkCode = networkCodeOf(error);
  const phase = error instanceof RequestTimeout ? error.phase : undefined;
  const url = context.request.url;
  let what: string;
  let fix: string;
  let requestSent = false;
  if (networkCode === "ECONNREFUSED") {
    what = `was refused a connection by ${url}`;
    fix = "Nothing accepts connections there: check the host and port of qualys:apiUrl / qualys:gatewayUrl / qualys:platform.";
  } else if (networkCode === "ENOTFOUND") {
    what = `could not resolve the host of ${url}`;
    fix = "Check the host name in qualys:apiUrl / qualys:gatewayUrl / qualys:platform and the machine's DNS.";
  } else if (CERTIFICATE_CODE.test(networkCode)) {
    what = `refused the TLS certificate of ${url} (${networkCode})`;
    fix =
      "Check that the URL names the Qualys server. Behind a TLS-inspecting proxy, give Node the proxy's CA " +
      "with NODE_EXTRA_CA_CERTS; never turn certificate checks off, the password travels on every call.";
  } else if (networkCode === "ETIMEDOUT" && phase !== undefined && phase !== "request") {
    what = `could not connect to ${url} in time (${phase} phase)`;
    fix = "Check the network path (firewall, proxy) to qualys:apiUrl / qualys:platform.";
  } else if (networkCode === "ETIMEDOUT") {
    requestSent = true;
    what = `got no answer from ${url} within ${timeoutMs} ms`;
    fix = "If Qualys is just slow, raise qualys:timeoutMs (QUALYS_TIMEOUT_MS); otherwise check the network path and proxies.";
  } else {
    requestSent = true;
    // Quoted, not only redacted: cut to a length, which must not cut a secret in two.
    const reason = quoteServerText(error instanceof Error ? error.message : String(error), 200, context.secrets);
    what = `got no response from ${url} (${networkCode}: ${reason})`;
    fix = "Check the network path to qualys:apiUrl / qualys:platform and any proxy.";
  }
  return new QualysNetworkError(`Qualys ${context.operation} ${what}. ${fix}`, { ...context, networkCode, requestSent, cause: error });
}

/** The error's code: node's errno name (ECONNRESET, ECONNREFUSED, ENOTFOUND, a TLS code) or ETIMEDOUT for a RequestTimeout. */
function networkCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "ERR_NETWORK";
}
