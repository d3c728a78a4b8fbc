/**
 * The one place that decides what a credential looks like in text we show or store.
 * Errors, debug logs and the simulator's request log all pass through here, so a password,
 * a Basic header or a JWT never reaches a terminal, a CI log or Pulumi state.
 */

export const REDACTED = "[REDACTED]";

const SENSITIVE_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** Copy of `headers` with lower-cased names and every credential-bearing value replaced. */
export function redactHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = SENSITIVE_HEADERS.has(lower) ? REDACTED : Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

// `Basic <base64>` / `Bearer <token>` anywhere in a string, and `password=...` in a form body.
const CREDENTIAL_PATTERNS: RegExp[] = [
  /\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]+/gi,
  /\b(password|passwd|token)=([^&\s]*)/gi,
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
];

/**
 * Removes credentials from free text (an error body, a log line). `secrets` are the literal
 * values of this process's configuration (password, token), replaced wherever they appear.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short strings would blank out ordinary words; real passwords and tokens are longer.
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(CREDENTIAL_PATTERNS[0]!, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(CREDENTIAL_PATTERNS[1]!, (_m, name: string) => `${name}=${REDACTED}`);
  out = out.replace(CREDENTIAL_PATTERNS[2]!, REDACTED);
  return out;
}
