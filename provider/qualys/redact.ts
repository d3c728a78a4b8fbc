/**
 * The one place that decides what a credential looks like in text we show or store.
 * Errors, debug logs and the simulator's request log all pass through here, so a password,
 * a Basic header or a JWT never reaches a terminal, a CI log or Pulumi state — not even when a
 * proxy or a misbehaving server echoes the request's credentials into its answer (issue 11).
 */

export const REDACTED = "[REDACTED]";

const SENSITIVE_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** Headers as node or a caller holds them: any case, repeated headers as arrays. */
export type RawHeaders = Record<string, string | string[] | number | undefined>;

/**
 * Copy of `headers` with lower-cased names, every credential-bearing header replaced whole and
 * the other values cleared of credentials (`redactText` with `secrets`).
 */
export function redactHeaders(headers: RawHeaders, secrets: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = SENSITIVE_HEADERS.has(lower) ? REDACTED : redactText(Array.isArray(value) ? value.join(", ") : String(value), secrets);
  }
  return out;
}

// `Basic <base64>` / `Bearer <token>` anywhere in a string, and `password=...` in a form body.
const CREDENTIAL_PATTERNS: RegExp[] = [
  /\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]+/gi,
  /\b(password|passwd|token)=([^&\s]*)/gi,
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
];

// Short strings would blank out ordinary words; real passwords and tokens are longer.
const MIN_SECRET_LENGTH = 4;

/**
 * Removes credentials from free text (an error body, a log line). `secrets` are the literal
 * values of this process's configuration (see `credentialForms`), replaced wherever they appear.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  // Longest first: a form that contains another (`user:password` holds the password) goes whole.
  for (const secret of [...secrets].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0))) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(CREDENTIAL_PATTERNS[0]!, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(CREDENTIAL_PATTERNS[1]!, (_m, name: string) => `${name}=${REDACTED}`);
  out = out.replace(CREDENTIAL_PATTERNS[2]!, REDACTED);
  return out;
}

/**
 * Every spelling in which one secret can come back in an answer or be written by us: as sent,
 * URL-encoded (the `/auth` form body), form-encoded (`+` for a space), XML/HTML-escaped (an echo
 * inside a page) and JSON-escaped (an echo in a JSON body, or a value in a log line's JSON, where
 * `"` becomes `\"` and `\` becomes `\\`).
 */
function spellings(secret: string): string[] {
  const xmlEscaped = secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
  const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, encodeURIComponent(secret), formEncoded, xmlEscaped, jsonEscaped])];
}

/**
 * The literal secrets of one user: the password, `user:password` and its base64 (the Basic
 * header's value), each in every spelling an echo may use. The returned array is the client's
 * living list: `addSecret` appends the JWTs it obtains later.
 */
export function credentialForms(username: string, password: string): string[] {
  const pair = `${username}:${password}`;
  // The base64 too in every spelling: a redirect's Location echoes it URL-encoded (`+`, `/`, `=`).
  return [...new Set([...spellings(password), ...spellings(pair), ...spellings(Buffer.from(pair, "utf8").toString("base64"))])];
}

/** Adds `secret` (e.g. a freshly issued JWT) to a living secrets list, once. */
export function addSecret(secrets: string[], secret: string): void {
  for (const form of spellings(secret)) if (!secrets.includes(form)) secrets.push(form);
}

/** An activation key is the enrolment secret of every agent that uses it: never quoted. */
const ACTIVATION_KEY_ELEMENT = /(<activationKey>)[^<]*/gi;

/**
 * The first `maxLength` characters of server text, redacted, on one line: for quoting a body or a
 * value in a message. Redacts before cutting, over enough text that a secret starting inside the
 * quote is replaced whole — cutting first could leave the start of a password at the quote's end.
 * An `<activationKey>` element's value is replaced too.
 */
export function quoteServerText(text: string, maxLength: number, secrets: readonly string[]): string {
  const longest = secrets.reduce((n, s) => Math.max(n, s.length), 0);
  const window = text.slice(0, maxLength + longest + 1024).replace(ACTIVATION_KEY_ELEMENT, `$1${REDACTED}`);
  return redactText(window, secrets).replace(/\s+/g, " ").trim().slice(0, maxLength);
}

/**
 * A copy of a lower-level error (node's socket and TLS errors, a zlib error) fit to be an error's
 * `cause`: its name, code and redacted message only. An HTTP client's errors may hold the request
 * (node's keep the socket, some clients the options with the raw `Authorization` header), which
 * `console.error(err)` and `util.inspect(err)` would print.
 */
export function sanitizedCause(error: unknown, secrets: readonly string[]): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const cause = new Error(redactText(source.message, secrets));
  cause.name = source.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(cause, { code });
  return cause;
}
