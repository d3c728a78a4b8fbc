import { strict as assert } from "node:assert";
import { DEFAULT_JWT_LIFETIME_MS, JWT_REFRESH_EARLY_MS, JwtTokenCache, jwtExpiry } from "../../provider/qualys/transport/jwt-token-cache";
import { FakeClock } from "../support/fake-clock";

function jwt(claims: object): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe("jwt-token-cache", () => {
  it("reads exp from the payload, and nothing from an opaque token", () => {
    assert.equal(jwtExpiry(jwt({ exp: 1700000000 })), 1700000000 * 1000);
    assert.equal(jwtExpiry("opaque-token"), undefined);
    assert.equal(jwtExpiry("a.!!!.c"), undefined);
  });

  it("reuses the token until 5 minutes before exp, then fetches a new one", async () => {
    const clock = new FakeClock();
    const lifetimeSec = 4 * 3600;
    let fetches = 0;
    const cache = new JwtTokenCache(async () => jwt({ n: ++fetches, exp: Math.floor(clock.now() / 1000) + lifetimeSec }), clock);
    const first = await cache.token();
    clock.advance(lifetimeSec * 1000 - JWT_REFRESH_EARLY_MS - 1000);
    assert.equal(await cache.token(), first);
    assert.equal(fetches, 1);
    clock.advance(2000);
    assert.notEqual(await cache.token(), first);
    assert.equal(fetches, 2);
  });

  it("assumes 4 hours for a token without exp", async () => {
    const clock = new FakeClock();
    let fetches = 0;
    const cache = new JwtTokenCache(async () => `opaque-${++fetches}`, clock);
    await cache.token();
    clock.advance(DEFAULT_JWT_LIFETIME_MS - JWT_REFRESH_EARLY_MS - 1);
    assert.equal(await cache.token(), "opaque-1");
    clock.advance(1);
    assert.equal(await cache.token(), "opaque-2");
  });

  it("shares one in-flight request among concurrent callers", async () => {
    const clock = new FakeClock();
    let fetches = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = new JwtTokenCache(async () => {
      fetches++;
      await gate;
      return "shared-token";
    }, clock);
    const waiting = Promise.all([cache.token(), cache.token(), cache.token()]);
    release();
    assert.deepEqual(await waiting, ["shared-token", "shared-token", "shared-token"]);
    assert.equal(fetches, 1);
  });

  it("drops a rejected token only if it is still the current one, and recovers from a failed fetch", async () => {
    const clock = new FakeClock();
    const results: (string | Error)[] = ["t1", new Error("gateway down"), "t2"];
    const cache = new JwtTokenCache(async () => {
      const next = results.shift()!;
      if (next instanceof Error) throw next;
      return next;
    }, clock);
    assert.equal(await cache.token(), "t1");
    cache.invalidate("some-older-token");
    assert.equal(await cache.token(), "t1");
    cache.invalidate("t1");
    await assert.rejects(cache.token(), /gateway down/);
    assert.equal(await cache.token(), "t2");
  });
});
