/**
 * The Qualys client over real HTTP against the embedded simulator on 127.0.0.1: every endpoint,
 * every error class the server can produce, Basic and JWT auth, paging, and the promise that no
 * error message or debug line carries a credential.
 */
import { strict as assert } from "node:assert";
import { createQualysClient } from "../../provider/qualys/client";
import {
  QualysAuthError,
  QualysConfigError,
  QualysDuplicateTitleError,
  QualysError,
  QualysHttpError,
  QualysKeyInUseError,
  QualysNetworkError,
  QualysNotFoundError,
  QualysRateLimitError,
} from "../../provider/qualys/errors";
import type { AgentActKeyApi, QualysClientOptions, QualysLogger, RequestScheduler, ResponseMeta, ScheduledCall } from "../../provider/qualys/types";
import { startSimulator } from "../../simulator";
import type { RunningSimulator, SimulatorOptions } from "../../simulator/types";
import { FakeClock } from "../support/fake-clock";

const USER = "admin";
const PASSWORD = "admin-password";
const BASIC_VALUE = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");

/** Collects debug lines and every error seen, to prove afterwards that none leaks a credential. */
class Leaks {
  readonly lines: string[] = [];
  readonly logger: QualysLogger = {
    debug: (m) => this.lines.push(m),
    info: (m) => this.lines.push(m),
    warn: (m) => this.lines.push(m),
  };
  record(e: unknown): unknown {
    if (e instanceof Error) this.lines.push(e.message, JSON.stringify(e), String((e as QualysError).request?.headers ?? ""));
    return e;
  }
  assertClean(): void {
    for (const line of this.lines) {
      assert.ok(!line.includes(PASSWORD), `password leaked: ${line}`);
      assert.ok(!line.includes(BASIC_VALUE), `Basic value leaked: ${line}`);
      assert.ok(!/Bearer\s+(?!\[REDACTED\])\S/.test(line), `Bearer value leaked: ${line}`);
      assert.ok(!/eyJ[A-Za-z0-9_-]{5,}\./.test(line), `JWT leaked: ${line}`);
    }
  }
}

/** A scheduler that sends each call once and records what the client handed it. */
class RecordingScheduler implements RequestScheduler {
  readonly calls: { operation: string; idempotent: boolean; subject?: string; reports: ResponseMeta[] }[] = [];
  async run<T>(call: ScheduledCall<T>): Promise<T> {
    const entry = { operation: call.operation, idempotent: call.idempotent, subject: call.subject, reports: [] as ResponseMeta[] };
    this.calls.push(entry);
    return call.attempt((meta) => entry.reports.push(meta));
  }
}

async function expectError<E extends Error>(
  leaks: Leaks,
  promise: Promise<unknown>,
  cls: abstract new (...args: never[]) => E,
  check?: (e: E) => void,
): Promise<E> {
  try {
    await promise;
  } catch (e) {
    leaks.record(e);
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    check?.(e);
    return e;
  }
  assert.fail(`expected ${cls.name}, but the call succeeded`);
}

describe("qualys client against the simulator", function () {
  let sim: RunningSimulator;
  let leaks: Leaks;
  let scheduler: RecordingScheduler;
  let api: AgentActKeyApi;

  async function start(options: SimulatorOptions = {}): Promise<void> {
    sim = await startSimulator(options);
  }
  function client(overrides: Partial<QualysClientOptions> = {}): AgentActKeyApi {
    return createQualysClient({
      apiUrl: sim.url,
      gatewayUrl: sim.url,
      username: USER,
      password: PASSWORD,
      logger: leaks.logger,
      scheduler,
      ...overrides,
    });
  }

  beforeEach(async () => {
    leaks = new Leaks();
    scheduler = new RecordingScheduler();
  });
  afterEach(async () => {
    leaks.assertClean();
    await sim?.close();
  });

  describe("with Basic auth", () => {
    beforeEach(async () => {
      await start({ rateLimit: { limit: 1000, windowSec: 3600 }, concurrencyLimit: 5 });
      api = client();
    });

    it("creates, reads, updates, searches and deletes a key", async () => {
      const created = await api.create({ title: "linux-servers", type: "COUNT_LIMITED", countPurchased: 5, modules: ["VM_LICENSE", "PC_LICENSE"] });
      assert.ok(created.id > 0);
      assert.match(created.activationKey ?? "", /^[0-9a-f-]{36}$/);
      assert.equal(sim.admin.getKey(created.id)?.title, "linux-servers");

      const read = await api.get(created.id);
      assert.equal(read.countPurchased, 5);
      assert.equal(read.type, "COUNT_LIMITED");
      assert.deepEqual([...(read.modules ?? [])].sort(), ["PC_LICENSE", "VM_LICENSE"]);
      assert.equal(read.isDisabled, false);

      await api.update(created.id, { title: "linux-servers-2", type: "UNLIMITED", modules: ["FIM"] });
      const updated = await api.get(created.id);
      assert.equal(updated.title, "linux-servers-2");
      assert.equal(updated.type, "UNLIMITED");
      assert.deepEqual(updated.modules, ["FIM"]);
      assert.equal(sim.admin.getKey(created.id)?.title, "linux-servers-2");

      const page = await api.searchPage([{ field: "id", operator: "EQUALS", value: String(created.id) }], 10);
      assert.deepEqual(page.keys.map((k) => k.id), [created.id]);
      assert.equal(page.hasMoreRecords, false);

      // The simulator answers 415 to a body-less POST: success proves the empty ServiceRequest was sent.
      await api.delete(created.id);
      assert.equal(sim.admin.getKey(created.id), undefined);
      await expectError(leaks, api.get(created.id), QualysNotFoundError, (e) => assert.equal(e.keyId, created.id));

      assert.deepEqual(
        scheduler.calls.map((c) => [c.operation, c.idempotent]),
        [["create", false], ["get", true], ["update", true], ["get", true], ["search", true], ["delete", true], ["get", true]],
      );
      for (const call of scheduler.calls) {
        assert.equal(call.reports.length, 1, `${call.operation} reported ${call.reports.length} responses`);
        assert.equal(call.reports[0]!.headers["x-ratelimit-limit"], "1000");
      }
    });

    it("reports a duplicate title as QualysDuplicateTitleError naming the title", async () => {
      await api.create({ title: "dup", type: "UNLIMITED" });
      await expectError(leaks, api.create({ title: "dup", type: "UNLIMITED" }), QualysDuplicateTitleError, (e) => {
        assert.equal(e.responseCode, "CA_1001_DUPLICATE_KEY");
        assert.equal(e.title, "dup");
        assert.equal(e.operation, "create");
        assert.equal(e.statusCode, 200);
        assert.match(e.message, /adopt/);
      });
      assert.equal(sim.admin.listKeys().filter((k) => k.title === "dup").length, 1);
    });

    it("reports update and delete of a missing key as QualysNotFoundError", async () => {
      await expectError(leaks, api.update(987654, { title: "x", type: "UNLIMITED" }), QualysNotFoundError);
      await expectError(leaks, api.delete(987654), QualysNotFoundError, (e) => assert.equal(e.operation, "delete"));
    });

    it("refuses to delete a key with registered agents (QualysKeyInUseError)", async () => {
      const key = await api.create({ title: "busy", type: "UNLIMITED" });
      sim.admin.attachAgents(key.id, 3);
      const read = await api.get(key.id);
      assert.equal(read.agents?.length, 3);
      await expectError(leaks, api.delete(key.id), QualysKeyInUseError, (e) => {
        assert.equal(e.keyId, key.id);
        assert.match(e.message, /changeactkey/);
      });
      assert.ok(sim.admin.getKey(key.id));
      sim.admin.detachAgents(key.id);
      await api.delete(key.id);
    });

    it("turns 409 rate, 409 concurrency and 429 blocks into QualysRateLimitError with the server's figures", async () => {
      sim.admin.injectFaults([{ operation: "get", kind: "rate-409", toWaitSec: 17 }]);
      const key = await api.create({ title: "limited", type: "UNLIMITED" });
      await expectError(leaks, api.get(key.id), QualysRateLimitError, (e) => {
        assert.equal(e.kind, "rate");
        assert.equal(e.statusCode, 409);
        assert.equal(e.toWaitSec, 17);
        assert.equal(e.limit, 1000);
        assert.equal(e.windowSec, 3600);
      });
      sim.admin.injectFaults([{ operation: "search", kind: "concurrency-409" }]);
      await expectError(leaks, api.searchPage(), QualysRateLimitError, (e) => {
        assert.equal(e.kind, "concurrency");
        assert.equal(e.statusCode, 409);
      });
      sim.admin.injectFaults([{ operation: "get", kind: "rate-429" }]);
      await expectError(leaks, api.get(key.id), QualysRateLimitError, (e) => assert.equal(e.statusCode, 429));
      const blocked = scheduler.calls.filter((c) => c.reports[0]?.statusCode !== 200);
      assert.deepEqual(blocked.map((c) => c.reports[0]!.statusCode), [409, 409, 429]);
    });

    it("blocks on the simulator's real concurrency limit", async () => {
      sim.admin.setLimits({ concurrencyLimit: 1, latencyMs: 200 });
      const results = await Promise.allSettled([api.searchPage(), api.searchPage()]);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      assert.equal(rejected.length, 1);
      await expectError(leaks, Promise.reject(rejected[0]!.reason), QualysRateLimitError, (e) => {
        assert.equal(e.kind, "concurrency");
        assert.equal(e.limit, 1);
      });
    });

    it("blocks on the simulator's real rate limit", async () => {
      sim.admin.setLimits({ rateLimit: { limit: 2, windowSec: 60 } });
      await api.searchPage();
      await api.searchPage();
      await expectError(leaks, api.searchPage(), QualysRateLimitError, (e) => {
        assert.equal(e.limit, 2);
        assert.equal(e.windowSec, 60);
        assert.equal(e.remaining, 0);
      });
    });

    it("turns an HTML proxy page, a 503 and malformed XML into QualysHttpError, and does not re-send", async () => {
      sim.admin.injectFaults([{ kind: "html-proxy" }]);
      await expectError(leaks, api.searchPage(), QualysHttpError, (e) => {
        assert.equal(e.statusCode, 502);
        assert.ok(e.bodySnippet && e.bodySnippet.length > 0);
      });
      sim.admin.injectFaults([{ operation: "create", kind: "unavailable-503" }]);
      await expectError(leaks, api.create({ title: "during-outage", type: "UNLIMITED" }), QualysHttpError, (e) => assert.equal(e.statusCode, 503));
      sim.admin.injectFaults([{ operation: "create", kind: "malformed-xml" }]);
      await expectError(leaks, api.create({ title: "garbled", type: "UNLIMITED" }), QualysHttpError, (e) => assert.match(e.message, /XML/));
      assert.equal(scheduler.calls.filter((c) => c.operation === "create").length, 2);
      assert.ok(scheduler.calls.every((c) => c.reports.length === 1));
    });

    it("never re-sends a create after a connection reset, even when the key was written", async () => {
      sim.admin.resetLog();
      sim.admin.injectFaults([{ operation: "create", kind: "reset-after" }]);
      await expectError(leaks, api.create({ title: "ambiguous", type: "UNLIMITED" }), QualysNetworkError, (e) => {
        assert.ok(e.networkCode, "networkCode set");
        assert.equal(e.title, "ambiguous");
        assert.equal(e.operation, "create");
      });
      assert.equal(sim.admin.listKeys().filter((k) => k.title === "ambiguous").length, 1);
      assert.equal(sim.admin.requestLog().filter((r) => r.operation === "create").length, 1);
    });

    it("reports a reset before the call and a timeout as QualysNetworkError", async () => {
      sim.admin.injectFaults([{ operation: "search", kind: "reset-before" }]);
      await expectError(leaks, api.searchPage(), QualysNetworkError);
      const impatient = client({ timeoutMs: 100 });
      sim.admin.injectFaults([{ operation: "search", kind: "slow", delayMs: 1000 }]);
      await expectError(leaks, impatient.searchPage(), QualysNetworkError, (e) => assert.equal(e.networkCode, "ETIMEDOUT"));
    });

    it("reports a wrong password as QualysAuthError without quoting it", async () => {
      const wrong = "wrong-password-123";
      const bad = client({ password: wrong });
      await expectError(leaks, bad.searchPage(), QualysAuthError, (e) => {
        assert.ok(!e.message.includes(wrong));
        assert.match(e.message, /qualys:password/);
        assert.equal(e.request?.headers.authorization, "[REDACTED]");
      });
      assert.ok(!leaks.lines.some((l) => l.includes(wrong)));
      // Basic credentials cannot be renewed: the refused call is not sent again.
      assert.deepEqual(scheduler.calls.at(-1)!.reports.map((r) => r.statusCode), [401]);
    });

    it("reads INVALID_CREDENTIALS answered with HTTP 200 as QualysAuthError", async () => {
      await sim.close();
      await start({ authErrorsAsHttp200: true });
      const bad = client({ password: "wrong-password-123" });
      await expectError(leaks, bad.get(1), QualysAuthError, (e) => {
        assert.equal(e.statusCode, 200);
        assert.equal(e.responseCode, "INVALID_CREDENTIALS");
        assert.match(e.message, /CA Activation Key View/);
      });
    });

    it("pages through more than 1000 keys with id GREATER lastId", async () => {
      for (let i = 0; i < 1005; i++) sim.admin.insertKey({ title: `bulk-${i}` });
      const all = await api.searchAll();
      assert.equal(all.length, 1005);
      assert.equal(new Set(all.map((k) => k.id)).size, 1005);
      assert.equal(scheduler.calls.filter((c) => c.operation === "search").length, 2);
    });
  });

  describe("with JWT auth", () => {
    let clientClock: FakeClock;
    let serverOffsetMs: number;
    const authCalls = (): number => leaks.lines.filter((l) => l.startsWith("qualys auth ->")).length;

    beforeEach(async () => {
      clientClock = new FakeClock();
      serverOffsetMs = 0;
      await start({ jwtLifetimeSec: 3600, now: () => clientClock.now() + serverOffsetMs });
      api = client({ authMode: "jwt", clock: clientClock });
    });

    it("fetches one token for concurrent calls and renews it 5 minutes before expiry", async () => {
      await Promise.all([api.searchPage(), api.searchPage(), api.searchPage()]);
      assert.equal(authCalls(), 1);
      clientClock.advance(54 * 60 * 1000);
      await api.searchPage();
      assert.equal(authCalls(), 1);
      clientClock.advance(2 * 60 * 1000);
      await api.searchPage();
      assert.equal(authCalls(), 2);
      assert.ok(scheduler.calls.every((c) => c.reports.length === 1 && c.reports[0]!.statusCode === 200));
    });

    it("renews the token once and retries the call once on a 401", async () => {
      await api.searchPage();
      serverOffsetMs = 2 * 3600 * 1000; // the server now sees the token as expired; the client does not
      const key = await api.create({ title: "after-expiry", type: "UNLIMITED" });
      assert.equal(authCalls(), 2);
      const create = scheduler.calls.find((c) => c.operation === "create")!;
      // Sent twice within one scheduled attempt, which reports only its final answer: the re-send
      // needed the concurrency slot that a report of the 401 would have freed.
      assert.deepEqual(sim.admin.requestLog().filter((e) => e.operation === "create").map((e) => e.statusCode), [401, 200]);
      assert.deepEqual(create.reports.map((r) => [r.statusCode, r.mayBeLimitBlock]), [[200, false]]);
      assert.equal(sim.admin.listKeys().filter((k) => k.title === "after-expiry").length, 1);
      assert.equal((await api.get(key.id)).id, key.id);
    });

    it("reports refused gateway credentials as QualysAuthError", async () => {
      const bad = client({ authMode: "jwt", clock: clientClock, password: "not-the-password" });
      await expectError(leaks, bad.searchPage(), QualysAuthError, (e) => {
        assert.equal(e.operation, "auth");
        assert.ok(!e.message.includes("not-the-password"));
      });
    });
  });

  describe("configuration", () => {
    beforeEach(async () => {
      await start();
    });

    it("refuses plain http to a non-loopback host unless allowInsecureHttp", () => {
      assert.throws(
        () => client({ apiUrl: "http://qualysapi.example.com" }),
        (e: unknown) => e instanceof QualysConfigError && /allowInsecureHttp/.test(e.message),
      );
      assert.throws(() => client({ gatewayUrl: "http://gateway.example.com" }), QualysConfigError);
      client({ apiUrl: "http://qualysapi.example.com", allowInsecureHttp: true });
    });

    it("needs a gateway URL for JWT and credentials for both modes", () => {
      assert.throws(() => client({ authMode: "jwt", gatewayUrl: undefined }), (e: unknown) => e instanceof QualysConfigError && /gatewayUrl/.test(e.message));
      assert.throws(() => client({ username: "" }), (e: unknown) => e instanceof QualysConfigError && /qualys:username/.test(e.message));
      assert.throws(() => client({ password: "" }), (e: unknown) => e instanceof QualysConfigError && /qualys:password/.test(e.message));
    });

    it("accepts a base URL with a trailing slash and works without a scheduler", async () => {
      const plain = createQualysClient({ apiUrl: `${sim.url}/`, username: USER, password: PASSWORD });
      const page = await plain.searchPage();
      assert.equal(page.hasMoreRecords, false);
    });
  });
});
