/**
 * Who is calling: Basic auth for `/qps/rest`, and JWTs issued by `POST /auth` and accepted as
 * `Authorization: Bearer` (docs/qualys-api.md, "Authentication and platforms").
 * Tokens are real HS256 JWTs signed with a secret drawn at start-up, with an `exp` claim.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { SimulatorUser } from "./types";

type AuthResult = { ok: true; user: SimulatorUser } | { ok: false; reason: "missing" | "invalid" | "expired" };

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** One secret per process: tokens stay valid across simulators sharing a state file in one process. */
const PROCESS_SECRET = randomBytes(32);

export class Authenticator {
  private readonly secret = PROCESS_SECRET;

  constructor(
    private readonly users: readonly SimulatorUser[],
    private readonly now: () => number,
    private readonly jwtLifetimeSec: number,
  ) {}

  /** The user with these credentials, if any. */
  checkPassword(username: string, password: string): SimulatorUser | undefined {
    return this.users.find((user) => user.username === username && sameText(user.password, password));
  }

  /** A signed JWT for `user`, valid `jwtLifetimeSec` from now. */
  issueToken(user: SimulatorUser): string {
    const issuedAt = Math.floor(this.now() / 1000);
    const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const payload = base64url(
      JSON.stringify({ sub: user.username, iss: "qualys-simulator", iat: issuedAt, exp: issuedAt + this.jwtLifetimeSec }),
    );
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  /** Checks an Authorization header (Basic or Bearer). */
  authenticate(authorization: string | undefined): AuthResult {
    if (!authorization) return { ok: false, reason: "missing" };
    const [scheme = "", value = ""] = authorization.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const user = colon < 0 ? undefined : this.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
      return user ? { ok: true, user } : { ok: false, reason: "invalid" };
    }
    if (scheme.toLowerCase() === "bearer") return this.verifyToken(value);
    return { ok: false, reason: "invalid" };
  }

  private verifyToken(token: string): AuthResult {
    const [header = "", payload = "", signature = ""] = token.split(".");
    if (!header || !payload || !sameText(signature, this.sign(`${header}.${payload}`))) return { ok: false, reason: "invalid" };
    // The signature matched, so the payload is our own JSON.
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: string; exp?: number };
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= this.now()) return { ok: false, reason: "expired" };
    const user = this.users.find((candidate) => candidate.username === claims.sub);
    return user ? { ok: true, user } : { ok: false, reason: "invalid" };
  }

  private sign(data: string): string {
    return createHmac("sha256", this.secret).update(data).digest("base64url");
  }
}
