/**
 * Issue 11, "Bounded": against broken and hostile servers on 127.0.0.1 the client ends in bounded
 * time and memory with one clear error, and never retries what cannot heal. Sizes are scaled down
 * through the transport's injectable caps so each case takes well under a second.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type LookupFunction } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createOrAdopt } from "../../provider/activation-key/create-or-adopt";
import { createQualysClient } from "../../provider/qualys/client";
import { callContext } from "../../provider/qualys/call-context";
import { createHttpTransport } from "../../provider/qualys/transport/http-transport";
import type { ConnectPhase } from "../../provider/qualys/transport/network-failure";
import { searchIncludingDisabled } from "../../provider/qualys/api/search-including-disabled";
import { QualysAnswerTooLargeError, QualysError, QualysHttpError, QualysNetworkError } from "../../provider/qualys/errors";
import type { AgentActKeyApi, QualysClientOptions, QualysLogger } from "../../provider/qualys/types";
import { LimitAwareScheduler } from "../../provider/scheduling/request-scheduler";
import { FakeClock } from "../support/fake-clock";
import { startFullBacklogListener } from "../support/full-backlog-listener";
import { qpsXml, sendXml, startHostileServer, type HostileServer } from "../support/hostile-server";

const CAPS = { maxWireBytes: 64 * 1024, maxDecodedBytes: 256 * 1024 };

/** Log lines in order, with a marker where the operation's error was caught. */
class Lines {
  readonly all: { severity: string; message: string }[] = [];
  readonly logger: QualysLogger = {
    debug: (m) => this.all.push({ severity: "debug", message: m }),
    info: (m) => this.all.push({ severity: "info", message: m }),
    warn: (m) => this.all.push({ severity: "warn", message: m }),
  };
  warnings(): string[] {
    return this.all.filter((l) => l.severity === "warn").map((l) => l.message);
  }
}

function searchAnswer(ids: number[], more: boolean): string {
  const keys = ids.map((id) => `<AgentActKey><id>${id}</id><title>key-${id}</title><type>UNLIMITED</type></AgentActKey>`).join("");
  return qpsXml(
    `<responseCode>SUCCESS</responseCode><count>${ids.length}</count><hasMoreRecords>${more}</hasMoreRecords>` +
      (ids.length > 0 ? `<lastId>${ids.at(-1)}</lastId><data>${keys}</data>` : ""),
  );
}

describe("bounded: hostile servers cost bounded time and memory (issue 11)", function () {
  let server: HostileServer | undefined;
  let lines: Lines;

  /** A client of `url` behind the real scheduler on a virtual clock: retries cost no wall time. */
  function client(url: string, overrides: Partial<QualysClientOptions> = {}): AgentActKeyApi {
    return createQualysClient({
      apiUrl: url,
      username: "sim-user",
      password: `sim-${process.pid}-password`,
      logger: lines.logger,
      scheduler: new LimitAwareScheduler({ clock: new FakeClock(), logger: lines.logger }),
      answerCaps: CAPS,
      ...overrides,
    });
  }

  beforeEach(() => {
    lines = new Lines();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe("paging", () => {
    it("stops a search that never ends on the adopt path after the page cap, naming the search", async () => {
      server = await startHostileServer((req, res) => {
        if (req.path.includes("/create/")) {
          return sendXml(res, qpsXml("<responseCode>CA_1001_DUPLICATE_KEY</responseCode><responseErrorDetails><errorMessage>Activation key already exists with title web</errorMessage></responseErrorDetails>"));
        }
        // hasMoreRecords=true with a rising lastId, page after page (it ends at 150 only so that
        // a client without a cap finishes this test instead of looping until the test times out).
        const after = Number(/operator="GREATER">(\d+)</.exec(req.body)?.[1] ?? 0);
        sendXml(res, searchAnswer([after + 1], after + 1 < 150));
      });
      await assert.rejects(createOrAdopt(client(server.url), { title: "web", type: "UNLIMITED" }, { adopt: true }), (e: unknown) => {
        // The user ran a create: the error names it (issue 10) and keeps the cap's code and error as its cause.
        assert.ok(e instanceof QualysError, String(e));
        assert.equal(e.code, "QUALYS_ANSWER_TOO_LARGE");
        assert.match(e.message, /^Qualys create key "web" failed/);
        assert.match(e.message, /search for title EQUALS "web" still claimed more records .* after 100 pages/);
        assert.match(e.message, /qualys:apiUrl/);
        assert.ok(e.cause instanceof QualysAnswerTooLargeError, String(e.cause));
        assert.equal(e.cause.unit, "pages");
        return true;
      });
      assert.equal(server.requests.filter((r) => r.path.includes("/search/")).length, 100);
    });
  });

  describe("answer size", () => {
    it("stops reading a plain answer at the wire cap, and never retries it", async () => {
      server = await startHostileServer((_req, res) => {
        // A well-formed answer of 1 MB, sent chunked (no Content-Length to refuse up front).
        const ids = Array.from({ length: 8000 }, (_, i) => i + 1);
        res.writeHead(200, { "content-type": "application/xml" });
        res.end(searchAnswer(ids, false));
      });
      await assert.rejects(client(server.url).searchPage(), (e: unknown) => {
        assert.ok(e instanceof QualysAnswerTooLargeError, String(e));
        assert.equal(e.limit, CAPS.maxWireBytes);
        assert.match(e.message, /Qualys search answered more than 65536 bytes from http:\/\/127\.0\.0\.1:\d+\/qps\/rest\/1\.0\/search\/ca\/agentactkey\/; stopped reading it/);
        assert.match(e.message, /Not retried/);
        return true;
      });
      assert.equal(server.requests.length, 1, "an oversize answer is never retried");
      assert.deepEqual(lines.warnings(), []);
    });

    it("refuses an announced Content-Length over the cap before reading the body", async () => {
      server = await startHostileServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/xml", "content-length": String(200 * 1024 * 1024) });
        res.write("<ServiceResponse>"); // and nothing more: only the announcement can end this quickly
      });
      await assert.rejects(client(server.url, { timeoutMs: 20_000 }).get(5), (e: unknown) => e instanceof QualysAnswerTooLargeError && e.operation === "get");
      assert.equal(server.requests.length, 1);
    });

    it("stops inflating a gzip bomb at the decompressed cap", async () => {
      // 32 MiB of zeros in 32 KB: within the wire cap, 128 times the decompressed cap.
      const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024));
      assert.ok(bomb.length < CAPS.maxWireBytes);
      server = await startHostileServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/xml", "content-encoding": "gzip" });
        res.end(bomb);
      });
      await assert.rejects(client(server.url).searchPage(), (e: unknown) => {
        assert.ok(e instanceof QualysAnswerTooLargeError, String(e));
        assert.equal(e.limit, CAPS.maxDecodedBytes);
        assert.match(e.message, /more than 262144 bytes once decompressed/);
        return true;
      });
      assert.equal(server.requests.length, 1);
    });

    it("keeps memory bounded by the caps while a gzip bomb inflates", async () => {
      // 512 gzip members of 1 MiB of zeros each: 0.5 MB on the wire (within this test's 1 MiB wire
      // cap), 512 MiB once inflated. Inflating it whole would hold 512 MiB of buffers.
      const member = gzipSync(Buffer.alloc(1024 * 1024));
      const bomb = Buffer.concat(Array.from({ length: 512 }, () => member));
      const caps = { maxWireBytes: 1024 * 1024, maxDecodedBytes: 256 * 1024 };
      assert.ok(bomb.length < caps.maxWireBytes);
      server = await startHostileServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/xml", "content-encoding": "gzip", "content-length": String(bomb.length) });
        res.end(bomb);
      });
      const baseline = process.memoryUsage().arrayBuffers;
      let peak = 0;
      const sample = (): void => void (peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline));
      const sampler = setInterval(sample, 2);
      try {
        await assert.rejects(client(server.url, { answerCaps: caps }).searchPage(), (e: unknown) => {
          sample();
          assert.ok(e instanceof QualysAnswerTooLargeError, String(e));
          assert.equal(e.limit, caps.maxDecodedBytes);
          return true;
        });
      } finally {
        clearInterval(sampler);
      }
      // The wire bytes, the decoded cap and zlib's working chunks: a few MiB, nowhere near 512.
      assert.ok(peak < 32 * 1024 * 1024, `buffers grew by ${(peak / 1024 / 1024).toFixed(1)} MiB while the bomb was read`);
    });

    it("still reads a gzipped answer within the caps, and asks for gzip", async () => {
      server = await startHostileServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/xml", "content-encoding": "gzip" });
        res.end(gzipSync(searchAnswer([1, 2, 3], false)));
      });
      const page = await client(server.url).searchPage();
      assert.deepEqual(page.keys.map((k) => k.id), [1, 2, 3]);
      assert.equal(server.requests[0]!.headers["accept-encoding"], "gzip");
    });
  });

  describe("time", () => {
    it("fails a server that accepts and never answers within one timeout, naming the URL and qualys:timeoutMs", async () => {
      server = await startHostileServer(() => undefined);
      await assert.rejects(client(server.url, { timeoutMs: 300 }).searchAll(), (e: unknown) => {
        assert.ok(e instanceof QualysNetworkError, String(e));
        assert.equal(e.networkCode, "ETIMEDOUT");
        assert.equal(e.requestSent, true);
        assert.match(e.message, /Qualys search got no answer from http:\/\/127\.0\.0\.1:\d+\/qps\/rest\/1\.0\/search\/ca\/agentactkey\/ within 300 ms/);
        assert.match(e.message, /qualys:timeoutMs \(QUALYS_TIMEOUT_MS\)/);
        return true;
      });
      assert.equal(server.requests.length, 1, "a timeout is not retried");
      assert.deepEqual(lines.warnings(), []);
    });

    it("bounds an answer that trickles in by the same whole-request timeout", async () => {
      server = await startHostileServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/xml" });
        const timer = setInterval(() => res.write(" "), 50);
        res.on("close", () => clearInterval(timer));
      });
      await assert.rejects(client(server.url, { timeoutMs: 400 }).get(1), (e: unknown) => e instanceof QualysNetworkError && e.networkCode === "ETIMEDOUT");
      assert.equal(server.requests.length, 1);
    });

    it("fails a refused connection at once with one error naming the URL: no retry, and a create never searches", async () => {
      const port = await closedPort();
      const url = `http://127.0.0.1:${port}`;
      await assert.rejects(client(url).searchAll(), (e: unknown) => {
        assert.ok(e instanceof QualysNetworkError, String(e));
        assert.equal(e.networkCode, "ECONNREFUSED");
        assert.equal(e.requestSent, false);
        assert.match(e.message, new RegExp(`Qualys search was refused a connection by ${url}/qps/rest/1\\.0/search/ca/agentactkey/\\. Nothing accepts connections there`));
        assert.doesNotMatch(e.message, /timeoutMs/);
        return true;
      });
      assert.deepEqual(lines.warnings(), [], "no retry was scheduled");
      // Nothing was sent, so the create cannot have landed: no search for its title.
      lines = new Lines();
      await assert.rejects(createOrAdopt(client(url), { title: "web", type: "UNLIMITED" }), (e: unknown) => e instanceof QualysNetworkError && e.operation === "create");
      assert.deepEqual(lines.all.filter((l) => l.message.startsWith("qualys search ->")), []);
    });

    it("fails an untrusted TLS certificate after one handshake, naming the URL and the fix", async function () {
      const tls = selfSignedCertificate();
      if (!tls) this.skip(); // needs the openssl CLI to make a throwaway certificate
      server = await startHostileServer((_req, res) => sendXml(res, searchAnswer([], false)), { tls });
      await assert.rejects(client(server.url).searchAll(), (e: unknown) => {
        assert.ok(e instanceof QualysNetworkError, String(e));
        assert.equal(e.requestSent, false);
        assert.match(e.message, new RegExp(`refused the TLS certificate of ${server!.url}/qps/rest/1\\.0/search/ca/agentactkey/ \\(${e.networkCode}\\)`));
        assert.match(e.message, /NODE_EXTRA_CA_CERTS/);
        return true;
      });
      assert.equal(server.connections(), 1, "one handshake, not one per retry");
      assert.equal(server.requests.length, 0);
    });

    it("bounds a TLS handshake that never completes by the connect bound, as a call that was never sent", async () => {
      // A TCP server that accepts and then says nothing: the client waits in the secureConnect phase.
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = silent.address() as import("node:net").AddressInfo;
        const transport = createHttpTransport({ timeoutMs: 30_000, connectTimeoutMs: 200, secrets: [] });
        const started = Date.now();
        await assert.rejects(transport.send({ context: callContext("create", []), method: "POST", url: `https://127.0.0.1:${port}/qps/rest/1.0/create/ca/agentactkey/`, body: "<ServiceRequest/>" }), (e: unknown) => {
          assert.ok(e instanceof QualysNetworkError, String(e));
          assert.equal(e.networkCode, "ETIMEDOUT");
          // Not sent: even a create may be sent again (is-retryable.ts), and no search for its title is needed.
          assert.equal(e.requestSent, false);
          assert.match(e.message, /Qualys create could not connect to https:\/\/127\.0\.0\.1:\d+\/qps\/rest\/1\.0\/create\/ca\/agentactkey\/ in time \(secureConnect phase\)/);
          return true;
        });
        assert.ok(Date.now() - started < 5_000, "the connect bound ended it, not the 30 s request timeout");
      } finally {
        silent.close();
      }
    });

    it("bounds a host name that never resolves by the connect bound (lookup phase), as a call never sent", async () => {
      // A resolver that never answers: the lookup phase without any traffic leaving the machine.
      await assertConnectBound("https://qualys.example.test", "lookup", () => undefined);
    });

    it("bounds a TCP connect that never completes by the connect bound (connect phase), as a call never sent", async () => {
      // A loopback listener whose accept queue is full: the kernel drops the SYN, as a firewall would.
      const listener = await startFullBacklogListener();
      try {
        await assertConnectBound(`http://127.0.0.1:${listener.port}`, "connect");
      } finally {
        await listener.close();
      }
    });

    it("prints no retry warning after the operation's error: the disabled-keys search never starts", async () => {
      server = await startHostileServer((req, res) => {
        // The enabled-keys search gets a final answer, the disabled-keys one a retryable 503.
        const disabledSearch = req.body.includes('field="isDisabled"');
        res.writeHead(disabledSearch ? 503 : 404, { "content-type": "text/html" });
        res.end(disabledSearch ? "<html>busy</html>" : "<html>no such page</html>");
      });
      let failedAt = -1;
      await searchIncludingDisabled(client(server.url)).catch((e: unknown) => {
        assert.ok(e instanceof QualysHttpError && e.statusCode === 404, String(e));
        failedAt = lines.all.length;
      });
      assert.ok(failedAt >= 0, "the search failed");
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for anything still running
      assert.deepEqual(lines.all.slice(failedAt).filter((l) => l.severity !== "debug"), [], "nothing logged after the error");
      assert.equal(server.requests.length, 1);
    });
  });
});

/**
 * A create to `origin` whose connecting `phase` never ends fails by the 200 ms connect bound, not
 * the 30 s request timeout, as a call never sent (as the TLS handshake test above checks it for
 * the secureConnect phase). `lookup` resolves host names (got's dnsLookup).
 */
async function assertConnectBound(origin: string, phase: ConnectPhase, lookup?: LookupFunction): Promise<void> {
  const transport = createHttpTransport({ timeoutMs: 30_000, connectTimeoutMs: 200, secrets: [], lookup });
  const url = `${origin}/qps/rest/1.0/create/ca/agentactkey/`;
  const started = Date.now();
  await assert.rejects(transport.send({ context: callContext("create", []), method: "POST", url, body: "<ServiceRequest/>" }), (e: unknown) => {
    assert.ok(e instanceof QualysNetworkError, String(e));
    assert.equal(e.networkCode, "ETIMEDOUT");
    assert.equal(e.requestSent, false);
    assert.ok(e.message.startsWith(`Qualys create could not connect to ${url} in time (${phase} phase)`), e.message);
    return true;
  });
  assert.ok(Date.now() - started < 5_000, "the connect bound ended it, not the 30 s request timeout");
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as import("node:net").AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A throwaway self-signed certificate for 127.0.0.1, made with the openssl CLI; undefined without it. */
function selfSignedCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "qualys-tls-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1"],
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
