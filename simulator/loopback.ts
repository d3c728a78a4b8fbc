/**
 * What counts as this machine: literal loopback addresses (127.0.0.0/8, ::1, and ::ffff:127.x) and
 * the name `localhost` itself. Not `*.localhost`, and no other name: those resolve through DNS or
 * a hosts file an attacker may control (DNS rebinding), so they prove nothing about where a
 * request came from or where the simulator listens.
 */
import { isIP } from "node:net";

/** Whether `hostname` (no port; IPv6 with or without brackets) is loopback by the rule above. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (name === "localhost") return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  if (isIP(name) !== 6) return false;
  // The URL parser writes every IPv6 spelling one way: ::1, and ::ffff:7fxx:xxxx for ::ffff:127.x.x.x.
  const canonical = new URL(`http://[${name}]/`).hostname;
  return canonical === "[::1]" || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}

/** The host name of a `Host` header value (`name[:port]` or `[v6][:port]`), undefined when malformed. */
export function hostOfHostHeader(value: string): string | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(value.trim());
  return match?.[1];
}
