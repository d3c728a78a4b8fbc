/**
 * The simulator as a tool left running on a laptop: request bodies capped before parsing and
 * before authentication, a bounded request log, bounded admin inputs, and an admin API that only
 * answers requests addressed to and coming from loopback (CSRF, DNS rebinding).
 */
import { strict as assert } from "node:assert";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { text } from "node:stream/consumers";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { MAX_BUFFERED_BODY_BYTES, MAX_REQUEST_BODY_BYTES } from "../../simulator/http-io";
import { DEFAULT_REQUEST_LOG_SIZE, RequestLog } from "../../simulator/request-log";
import { ADMIN_BASIC, createBody, onlyKey, qps, until } from "./simulator-http";

interface RawAnswer {
  status: number;
  text: string;
}

/**
 * One request with node:http, which (unlike fetch) lets a test set Host and send a body in chunks
 * without a Content-Length.
 */
function raw(baseUrl: string, method: string, path: string, headers: Record<string, string>, body: Buffer[] = []): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(new URL(path, baseUrl), { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      incoming.on("error", reject);
    });
    // The server may answer 413 and close while the body is still going out.
    outgoing.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
    for (const chunk of body) outgoing.write(chunk);
    outgoing.end();
  });
}

describe("simulator hardening", () => {
  let sim: RunningSimulator;
  let running: RunningSimulator | undefined;
  const start = async (options?: Parameters<typeof startSimulator>[0]): Promise<void> => {
    running = sim = await startSimulator(options);
  };
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  describe("request bodies", () => {
    beforeEach(async () => {
      await start();
    });

    it("refuses a declared Content-Length over the cap with 413 before authenticating or reading it, and takes the largest realistic request", async () => {
      const answer = await raw(sim.url, "POST", "/qps/rest/1.0/search/ca/agentactkey/", { "Content-Type": "text/xml", "Content-Length": String(MAX_REQUEST_BODY_BYTES + 1) });
      assert.equal(answer.status, 413);
      assert.match(answer.text, /at most 1048576 bytes/);
      assert.deepEqual(sim.admin.requestLog().map((entry) => [entry.statusCode, entry.user]), [[413, undefined]]);
      // A create naming 1000 tags with 255-character names: the cap's comment (simulator/http-io.ts)
      // says such a request is ~300 KB, under a third of the cap.
      const tag = (index: number): string => `<Tag><id>${103180000 + index}</id><name>${String(index).padStart(255, "t")}</name></Tag>`;
      const body = createBody("many tags", `<type>UNLIMITED</type><tags><list>${Array.from({ length: 1000 }, (_, index) => tag(index)).join("")}</list></tags>`);
      assert.ok(Buffer.byteLength(body) < MAX_REQUEST_BODY_BYTES / 3, `${Buffer.byteLength(body)} bytes`);
      const created = await qps(sim.url, "create/ca/agentactkey/", body);
      assert.equal(created.body?.responseCode, "SUCCESS");
      assert.equal(sim.admin.getKey(Number(onlyKey(created).id))?.tags.length, 1000);
    });

    it("refuses a chunked body as soon as it passes the cap, on the QPS, auth and admin routes", async () => {
      const chunks = Array.from({ length: 17 }, () => Buffer.alloc(64 * 1024, "<"));
      for (const [path, method] of [["/qps/rest/1.0/create/ca/agentactkey/", "POST"], ["/auth", "POST"], ["/__admin/keys", "POST"]] as const) {
        const answer = await raw(sim.url, method, path, { "Content-Type": "text/xml", Authorization: ADMIN_BASIC, "Transfer-Encoding": "chunked" }, chunks);
        assert.equal(answer.status, 413, path);
      }
      assert.deepEqual(sim.admin.listKeys(), []);
    });

    it("holds at most MAX_BUFFERED_BODY_BYTES of bodies over all connections: past it, 503 at once; room again once they go", async () => {
      const perBody = 900_000;
      const sockets = Array.from({ length: 30 }, () => connect(Number(new URL(sim.url).port), "127.0.0.1"));
      const answers = sockets.map(
        (socket) =>
          new Promise<string>((resolve) => {
            let received = "";
            socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
            socket.on("error", () => undefined);
            socket.on("close", () => resolve(received));
          }),
      );
      // Each sends almost all of a body under the per-request cap, then stalls.
      for (const socket of sockets) {
        socket.write(`POST /qps/rest/1.0/search/ca/agentactkey/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: ${perBody + 1}\r\n\r\n`);
        socket.write(Buffer.alloc(perBody, " "));
      }
      const fitting = Math.floor(MAX_BUFFERED_BODY_BYTES / perBody);
      await until(() => sim.admin.requestLog().length >= sockets.length - fitting);
      const refused = sim.admin.requestLog().map((entry) => [entry.statusCode, entry.user]);
      assert.deepEqual(refused, Array.from({ length: sockets.length - fitting }, () => [503, undefined]), "the bodies past the budget, refused before authentication");
      for (const socket of sockets) socket.destroy();
      const texts = await Promise.all(answers);
      // What the refused clients read (a reset may beat a few answers to the client): 503s, nothing else.
      const read = texts.filter((t) => t !== "");
      assert.ok(read.length > 0 && read.every((t) => t.startsWith("HTTP/1.1 503")), read.map((t) => t.slice(0, 20)).join(", "));
      // The stalled bodies gave their bytes back: a request of the largest size goes through.
      const body = createBody("after the storm", `<type>UNLIMITED</type><description>${" ".repeat(perBody)}</description>`);
      // The server learns of the closed sockets a moment after the clients do.
      let created = await qps(sim.url, "create/ca/agentactkey/", body);
      for (let attempt = 0; attempt < 100 && created.status === 503; attempt += 1) created = await qps(sim.url, "create/ca/agentactkey/", body);
      assert.equal(created.body?.responseCode, "SUCCESS");
    });

    it("answers a JSON body nested deeper than any ServiceRequest with INVALID_REQUEST, not a 500", async () => {
      const depth = 150_000;
      const body = `{"ServiceRequest":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
      assert.ok(Buffer.byteLength(body) < MAX_REQUEST_BODY_BYTES);
      const response = await fetch(`${sim.url}/qps/rest/1.0/search/ca/agentactkey/`, {
        method: "POST",
        headers: { Authorization: ADMIN_BASIC, Accept: "application/json", "Content-Type": "application/json" },
        body,
      });
      const answer = (await response.json()) as { ServiceResponse?: { responseCode?: string; responseErrorDetails?: { errorMessage?: string } } };
      assert.equal(answer.ServiceResponse?.responseCode, "INVALID_REQUEST", JSON.stringify(answer).slice(0, 300));
      assert.match(answer.ServiceResponse?.responseErrorDetails?.errorMessage ?? "", /nests objects or lists more than 64 levels/);
    });
  });

  describe("request log", () => {
    it("keeps the most recent requestLogSize calls while the counts stay exact", async () => {
      await start({ requestLogSize: 3 });
      for (let index = 1; index <= 5; index += 1) await qps(sim.url, `get/ca/agentactkey/${index}`);
      await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>");
      assert.deepEqual(sim.admin.requestLog().map((entry) => entry.path), ["/qps/rest/1.0/get/ca/agentactkey/4", "/qps/rest/1.0/get/ca/agentactkey/5", "/qps/rest/1.0/search/ca/agentactkey/"]);
      assert.deepEqual([sim.admin.callCounts()["get"], sim.admin.callCounts()["search"]], [5, 1]);
    });

    it("keeps 10000 calls by default", () => {
      const log = new RequestLog();
      for (let index = 0; index <= DEFAULT_REQUEST_LOG_SIZE; index += 1) log.record({ at: index, method: "GET", path: "/", operation: "get", statusCode: 200, blocked: false });
      const kept = log.list();
      assert.deepEqual([kept.length, kept[0]?.at, kept.at(-1)?.at, log.counts()["get"]], [10_000, 1, 10_000, 10_001]);
    });
  });

  describe("admin inputs", () => {
    beforeEach(() => start());

    async function admin(method: string, path: string, body: unknown): Promise<{ status: number; error?: string }> {
      const response = await fetch(`${sim.url}/__admin/${path}`, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, error: ((await response.json()) as { error?: string }).error };
    }

    it("bounds attachAgents: 1 to 1000 agents a call, 10000 a key", async () => {
      const id = sim.admin.insertKey({ title: "agents" }).id;
      for (const count of [10_001, 1001, 0, -1, 1.5, "many"]) {
        const refused = await admin("POST", `keys/${id}/agents`, { count });
        assert.equal(refused.status, 400, String(count));
        assert.match(refused.error ?? "", /count must be an integer from 1 to 1000/, String(count));
      }
      assert.equal(sim.admin.getKey(id)?.agents.length, 0);
      for (let call = 0; call < 10; call += 1) assert.equal((await admin("POST", `keys/${id}/agents`, { count: 1000 })).status, 200);
      const full = await admin("POST", `keys/${id}/agents`, { count: 1 });
      assert.equal(full.status, 400);
      assert.match(full.error ?? "", /already holds 10000 agents/);
    });

    it("bounds faults: known kinds and operations, sane counts and delays, at most 1000 pending", async () => {
      const refusals: [unknown, RegExp][] = [
        [[{ kind: "meltdown" }], /faults\[0\]\.kind must be one of/],
        [[{ kind: "slow", delayMs: 3_600_000 }], /faults\[0\]\.delayMs must be an integer from 0 to 60000/],
        [[{ kind: "rate-409", operation: "nuke" }], /faults\[0\]\.operation must be one of/],
        [[{ kind: "rate-409", count: 0 }], /faults\[0\]\.count must be an integer/],
        [[{ kind: "rate-409-classic", toWaitSec: -5 }], /faults\[0\]\.toWaitSec must be an integer/],
        [Array.from({ length: 1001 }, () => ({ kind: "slow" })), /At most 1000 faults may be pending/],
        [{ kind: "slow" }, /Send a JSON array of FaultSpec/],
      ];
      for (const [body, message] of refusals) {
        const refused = await admin("POST", "faults", body);
        assert.equal(refused.status, 400, JSON.stringify(body).slice(0, 60));
        assert.match(refused.error ?? "", message);
      }
      assert.equal((await admin("POST", "faults", [{ kind: "unavailable-503", count: 1_000_000 }])).status, 200);
      assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 503);
    });

    it("bounds limits over the admin API and at start-up", async () => {
      const refusals: [unknown, RegExp][] = [
        [{ rateLimit: { limit: 1e12, windowSec: 60 } }, /rateLimit\.limit must be an integer from 1 to 100000/],
        [{ rateLimit: { limit: 10, windowSec: 0 } }, /rateLimit\.windowSec/],
        [{ rateLimit: "lots" }, /rateLimit must be/],
        [{ concurrencyLimit: 0 }, /concurrencyLimit must be an integer from 1 to 1000/],
        [{ latencyMs: 86_400_000 }, /latencyMs must be an integer from 0 to 60000/],
        [{ blockedStatus: 500 }, /blockedStatus must be one of 409, 429/],
        [{ blockedBody: "html" }, /blockedBody must be one of/],
      ];
      for (const [body, message] of refusals) {
        const refused = await admin("PUT", "limits", body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.match(refused.error ?? "", message);
      }
      assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).headers.get("x-ratelimit-limit"), null, "nothing changed");
      await assert.rejects(startSimulator({ concurrencyLimit: -1 }), /concurrencyLimit must be an integer from 1 to 1000/);
      await assert.rejects(startSimulator({ requestLogSize: 0 }), /requestLogSize must be an integer from 1/);
    });
  });

  describe("admin Host and Origin", () => {
    beforeEach(async () => {
      await start();
      sim.admin.insertKey({ title: "keep me" });
    });

    const port = (): string => new URL(sim.url).port;

    it("refuses a Host that is not a loopback address (DNS rebinding), *.localhost included, and answers loopback ones", async () => {
      for (const host of ["evil.example", `evil.example:${port()}`, `app.localhost:${port()}`, "localhost.", "127.0.0.1.nip.io", "[::2]"]) {
        const answer = await raw(sim.url, "POST", "/__admin/reset", { Host: host });
        assert.equal(answer.status, 403, host);
        assert.match(answer.text, /is not a loopback address/, host);
      }
      // HTTP/1.0 may leave Host out; then nothing says which name the call was sent to.
      const socket = connect(Number(port()), "127.0.0.1");
      socket.end("POST /__admin/reset HTTP/1.0\r\nContent-Length: 0\r\n\r\n");
      const [, status] = /^HTTP\/1\.\d (\d+)/.exec(await text(socket)) ?? [];
      assert.equal(status, "403");
      assert.equal(sim.admin.listKeys().length, 1, "no refused call reset the keys");
      const allowed: Record<string, string>[] = [
        { Host: `127.0.0.1:${port()}` },
        { Host: `localhost:${port()}` },
        { Host: `LOCALHOST` },
        { Host: `[::1]:${port()}` },
        { Host: `127.8.9.10:${port()}` },
        { Host: `[::ffff:127.0.0.1]:${port()}` },
        { Host: `localhost:${port()}`, Origin: "http://localhost:3000" },
        { Host: `127.0.0.1:${port()}`, Origin: `http://[::1]:${port()}` },
      ];
      for (const headers of allowed) assert.equal((await raw(sim.url, "GET", "/__admin/keys", headers)).status, 200, JSON.stringify(headers));
      // The QPS API itself stays reachable under any name, as the real one is.
      assert.equal((await raw(sim.url, "GET", "/qps/rest/1.0/get/ca/agentactkey/1", { Host: "qualysapi.example", Authorization: ADMIN_BASIC })).status, 200);
    });

    it("refuses a cross-site Origin (CSRF), and a null one", async () => {
      for (const origin of ["http://evil.example", "https://127.0.0.1.evil.example", "null", "http://app.localhost:3000", "file://"]) {
        const answer = await raw(sim.url, "POST", "/__admin/reset", { Host: `127.0.0.1:${port()}`, Origin: origin });
        assert.equal(answer.status, 403, origin);
        assert.match(answer.text, /Origin .* is not a loopback address/, origin);
      }
      assert.equal(sim.admin.listKeys().length, 1);
    });
  });
});
