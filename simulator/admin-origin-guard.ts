/**
 * The admin API has no authentication, so a web page open in the user's browser must not reach
 * it: a cross-site request (CSRF) carries the page's `Origin`, and a DNS-rebinding page reaches
 * 127.0.0.1 under its own name, which arrives in `Host`. Both must be loopback (loopback.ts) or
 * the call is refused. A request without `Origin` (curl, node, tests) is fine; one without `Host`
 * is not, since nothing then says which name it was sent to.
 */
import type { IncomingHttpHeaders } from "node:http";
import { hostOfHostHeader, isLoopbackHostname } from "./loopback";

/** Why the admin call is refused, or undefined when it may proceed. */
export function adminRefusal(headers: IncomingHttpHeaders): string | undefined {
  const fix = "The admin API only answers requests addressed to 127.0.0.1, [::1] or localhost, from no page or a page on one of those.";
  const host = headers.host;
  const hostname = host === undefined ? undefined : hostOfHostHeader(host);
  if (hostname === undefined || !isLoopbackHostname(hostname)) return `Admin call refused: Host ${JSON.stringify(host ?? "")} is not a loopback address. ${fix}`;
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).hostname;
  } catch {
    originHost = undefined;
  }
  if (originHost === undefined || !isLoopbackHostname(originHost)) return `Admin call refused: Origin ${JSON.stringify(origin)} is not a loopback address. ${fix}`;
  return undefined;
}
