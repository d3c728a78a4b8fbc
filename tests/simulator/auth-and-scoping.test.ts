import { strict as assert } from "node:assert";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { basic, createBody, keysOf, onlyKey, qps } from "./simulator-http";

const USERS = [
  { username: "admin", password: "admin-password" },
  { username: "reader", password: "reader-password", role: "reader" as const, scopeKeyIds: [] as number[] },
];

async function token(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/auth`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password, token: "true" }).toString(),
  });
}

describe("simulator authentication", () => {
  let sim: RunningSimulator;
  let clock: number;
  beforeEach(async () => {
    clock = Date.parse("2026-01-01T00:00:00Z");
    sim = await startSimulator({ users: USERS, now: () => clock, jwtLifetimeSec: 600, rateLimit: { limit: 1, windowSec: 60 } });
  });
  afterEach(() => sim.close());

  it("answers missing or wrong Basic credentials with HTTP 401 and INVALID_CREDENTIALS", async () => {
    for (const authorization of [null, basic("admin", "nope"), basic("ghost", "admin-password"), "Digest abc"]) {
      const answer = await qps(sim.url, "get/ca/agentactkey/1", undefined, { authorization });
      assert.equal(answer.status, 401);
      assert.equal(answer.body?.responseCode, "INVALID_CREDENTIALS");
    }
  });

  it("can answer bad credentials with HTTP 200 + INVALID_CREDENTIALS, as the real API sometimes does", async () => {
    const lenient = await startSimulator({ authErrorsAsHttp200: true });
    try {
      const answer = await qps(lenient.url, "get/ca/agentactkey/1", undefined, { authorization: basic("admin", "nope") });
      assert.equal(answer.status, 200);
      assert.equal(answer.body?.responseCode, "INVALID_CREDENTIALS");
    } finally {
      await lenient.close();
    }
  });

  it("issues a signed HS256 JWT with an exp claim from POST /auth (201), refuses bad credentials (401)", async () => {
    const issued = await token(sim.url, "admin", "admin-password");
    assert.equal(issued.status, 201);
    const jwt = await issued.text();
    const [header, payload, signature] = jwt.split(".");
    assert.deepEqual(JSON.parse(Buffer.from(header ?? "", "base64url").toString()), { alg: "HS256", typ: "JWT" });
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as { sub: string; exp: number };
    assert.equal(claims.sub, "admin");
    assert.equal(claims.exp, clock / 1000 + 600);
    assert.ok((signature ?? "").length > 20);
    assert.equal((await token(sim.url, "admin", "wrong")).status, 401);
  });

  it("accepts a Bearer token on /qps/rest until it expires, then answers 401; /auth is not rate-limited", async () => {
    const jwt = await (await token(sim.url, "admin", "admin-password")).text();
    const created = await qps(sim.url, "create/ca/agentactkey/", createBody("jwt"), { authorization: `Bearer ${jwt}` });
    assert.equal(created.body?.responseCode, "SUCCESS");
    // The rate limit of 1 call is used up, yet /auth still answers.
    assert.equal((await token(sim.url, "admin", "admin-password")).status, 201);
    const forged = `${jwt.slice(0, -4)}AAAA`;
    assert.equal((await qps(sim.url, "get/ca/agentactkey/1", undefined, { authorization: `Bearer ${forged}` })).status, 401);
    clock += 601_000;
    const expired = await qps(sim.url, "get/ca/agentactkey/1", undefined, { authorization: `Bearer ${jwt}` });
    assert.equal(expired.status, 401);
    assert.equal(expired.body?.responseCode, "INVALID_CREDENTIALS");
    assert.match(expired.body?.responseErrorDetails?.errorMessage ?? "", /expired/);
  });

  it("never records credentials in the request log", async () => {
    const jwt = await (await token(sim.url, "admin", "admin-password")).text();
    await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>", { authorization: `Bearer ${jwt}` });
    await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>", { authorization: basic("admin", "wrong-password") });
    const log = JSON.stringify(sim.admin.requestLog());
    for (const secret of ["admin-password", "wrong-password", jwt, Buffer.from("admin:admin-password").toString("base64")]) {
      assert.ok(!log.includes(secret), `log leaks ${secret}`);
    }
    assert.deepEqual(sim.admin.requestLog().map((entry) => [entry.operation, entry.user, entry.statusCode]), [
      ["auth", "admin", 201],
      ["search", "admin", 200],
      ["search", undefined, 401],
    ]);
  });
});

describe("simulator user scoping", () => {
  let sim: RunningSimulator;
  const reader = { authorization: basic("reader", "reader-password") };
  afterEach(() => sim.close());

  it("shows a reader only keys in its scope or created by it; others are OBJECT_NOT_FOUND", async () => {
    sim = await startSimulator({ users: [USERS[0]!, { ...USERS[1]!, scopeKeyIds: [900002] }] });
    const hidden = sim.admin.insertKey({ title: "hidden", id: 900001 });
    const scoped = sim.admin.insertKey({ title: "scoped", id: 900002 });
    const own = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("mine"), reader));

    const visible = await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>", reader);
    assert.deepEqual(keysOf(visible).map((key) => key.title), ["scoped", "mine"]);
    assert.equal((await qps(sim.url, `get/ca/agentactkey/${scoped.id}`, undefined, reader)).body?.responseCode, "SUCCESS");
    assert.equal((await qps(sim.url, `get/ca/agentactkey/${own.id}`, undefined, reader)).body?.responseCode, "SUCCESS");
    for (const [path, body] of [
      [`get/ca/agentactkey/${hidden.id}`, undefined],
      [`update/ca/agentactkey/${hidden.id}`, createBody("stolen")],
      [`delete/ca/agentactkey/${hidden.id}`, "<ServiceRequest></ServiceRequest>"],
    ] as const) {
      assert.equal((await qps(sim.url, path, body, reader)).body?.responseCode, "OBJECT_NOT_FOUND", path);
    }
    assert.equal(sim.admin.getKey(hidden.id)?.title, "hidden");
    const all = await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>");
    assert.deepEqual(keysOf(all).map((key) => key.title), ["hidden", "scoped", "mine"]);
  });
});
