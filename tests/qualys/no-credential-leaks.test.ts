/**
 * Issue 11, "Nothing leaked": the README promises that no message ever contains a password, a Basic
 * header or a token. This sweeps every error path of the client against a server on 127.0.0.1 that
 * echoes the request's credentials (headers, decoded Basic value, token, form body) into every
 * answer, and looks for every secret form in the error's message, stack, cause chain,
 * util.inspect(err), JSON.stringify(err) and every log line.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { inspect } from "node:util";
import { createQualysClient } from "../../provider/qualys/client";
import {
  QualysAnswerTooLargeError,
  QualysApiError,
  QualysAuthError,
  QualysDuplicateTitleError,
  QualysHttpError,
  QualysKeyInUseError,
  QualysNetworkError,
  QualysNotFoundError,
  QualysRateLimitError,
  QualysUnreadableKeyError,
} from "../../provider/qualys/errors";
import type { AgentActKeyApi, QualysClientOptions, QualysLogger } from "../../provider/qualys/types";
import { LimitAwareScheduler } from "../../provider/scheduling/request-scheduler";
import { BASIC_VALUE, NOT_QUALYS_ECHOES, PAIR, PASSWORD, USER, xmlEscape } from "../support/echoed-credentials";
import { FakeClock } from "../support/fake-clock";
import { qpsXml, sendXml, startHostileServer, type HostileServer, type ReceivedRequest } from "../support/hostile-server";

/** Everything credential-bearing the request carried, as a careless server would echo it. */
function echoOf(req: ReceivedRequest): string {
  const auth = String(req.headers.authorization ?? "");
  const basic = /^Basic (.+)$/.exec(auth)?.[1] ?? "";
  const bearer = /^Bearer (.+)$/.exec(auth)?.[1] ?? "";
  return `you sent Authorization: ${auth} (decoded ${Buffer.from(basic, "base64").toString("utf8")}; base64 ${basic}; token ${bearer}) and body ${req.body}`;
}

type Mode =
  | "http-error" | "redirect" | "malformed" | "api-error" | "duplicate" | "not-found" | "in-use"
  | "auth-401" | "auth-200" | "rate-limit" | "reset" | "silent" | "flood" | "endless" | "odd-key"
  | "jwt-auth-401" | "jwt-auth-500" | "jwt-api-401" | "jwt-api-error" | "cut-snippet";

describe("no credential leaks: every error path against a server that echoes credentials (issue 11)", function () {
  let server: HostileServer;
  let mode: Mode;
  const tokens: string[] = [];
  const lines: string[] = [];
  const logger: QualysLogger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m) };

  before(async () => {
    server = await startHostileServer((req, res) => {
      const echo = echoOf(req);
      const qpsError = (code: string, message: string) =>
        qpsXml(`<responseCode>${code}</responseCode><responseErrorDetails><errorMessage>${xmlEscape(message)}</errorMessage><errorResolution>${xmlEscape(echo)}.</errorResolution></responseErrorDetails>`);
      if (req.path.startsWith("/auth")) {
        if (mode === "jwt-auth-401") return void res.writeHead(401, { "content-type": "text/plain" }).end(echo);
        if (mode === "jwt-auth-500") return void res.writeHead(500, { "content-type": "text/html" }).end(`<html>${echo}</html>`);
        // An opaque token (not a JWT): only its literal value can redact it.
        const token = `tok${randomBytes(16).toString("hex")}`;
        tokens.push(token);
        return void res.writeHead(201, { "content-type": "text/plain" }).end(token);
      }
      switch (mode) {
        case "cut-snippet":
          // The password starts 8 characters before the 200-character snippet ends.
          return void res.writeHead(502, { "content-type": "text/plain" }).end(`${"x".repeat(192)}${PASSWORD} and more`);
        case "http-error":
        case "redirect":
        case "malformed":
          return NOT_QUALYS_ECHOES[mode](res, echo);
        case "api-error":
        case "jwt-api-error":
          return sendXml(res, qpsError("INVALID_REQUEST", `Bad request: ${echo}`));
        case "duplicate":
          return sendXml(res, qpsError("CA_1001_DUPLICATE_KEY", `Activation key already exists: ${echo}`));
        case "not-found":
          return sendXml(res, qpsError("OBJECT_NOT_FOUND", `No such key: ${echo}`));
        case "in-use":
          return sendXml(res, qpsError("INVALID_REQUEST", `Agents are registered with this key: ${echo}`));
        case "auth-401":
        case "jwt-api-401":
          return void res.writeHead(401, { "content-type": "text/html" }).end(`<html>Unauthorized: ${echo}</html>`);
        case "auth-200":
          return sendXml(res, qpsError("INVALID_CREDENTIALS", `Bad credentials: ${echo}`));
        case "rate-limit":
          return sendXml(res, qpsError("OTHER_ERROR", `Code 1965: rate limit exceeded. ${echo}`), 409, { "x-ratelimit-limit": "300", "x-ratelimit-window-sec": "3600", "x-ratelimit-towait-sec": "5" });
        case "reset":
          return void res.socket?.destroy(); // no answer at all
        case "silent":
          return; // never answers
        case "flood":
          return void res.writeHead(200, { "content-type": "application/xml" }).end(echo.repeat(Math.ceil(100_000 / echo.length)));
        case "endless": {
          const after = Number(/operator="GREATER">(\d+)</.exec(req.body)?.[1] ?? 0);
          return sendXml(res, qpsXml(`<responseCode>SUCCESS</responseCode><count>1</count><hasMoreRecords>true</hasMoreRecords><lastId>${after + 1}</lastId><data><AgentActKey><id>${after + 1}</id><title>${xmlEscape(echo)}</title></AgentActKey></data>`));
        }
        case "odd-key": {
          const odd = `<AgentActKey><id>5</id><title>${xmlEscape(echo)}</title><countPurchased>${xmlEscape(PASSWORD)}</countPurchased></AgentActKey>`;
          return sendXml(res, qpsXml(`<responseCode>SUCCESS</responseCode><count>1</count><hasMoreRecords>false</hasMoreRecords><data>${odd}</data>`));
        }
      }
    });
  });
  after(() => server.close());

  function client(overrides: Partial<QualysClientOptions> = {}): AgentActKeyApi {
    return createQualysClient({
      apiUrl: server.url,
      gatewayUrl: server.url,
      username: USER,
      password: PASSWORD,
      logger,
      clock: new FakeClock(), // a token cache of its own per client
      answerCaps: { maxWireBytes: 64 * 1024, maxDecodedBytes: 64 * 1024 },
      ...overrides,
    });
  }
  const jwt = (): AgentActKeyApi => client({ authMode: "jwt" });

  function secretForms(): string[] {
    const forms = [PASSWORD, PAIR, BASIC_VALUE, `Basic ${BASIC_VALUE}`, encodeURIComponent(PASSWORD), new URLSearchParams({ p: PASSWORD }).toString().slice(2), xmlEscape(PASSWORD)];
    for (const token of tokens) forms.push(token, `Bearer ${token}`);
    return forms;
  }

  /** Every text an error shows: message, stack, each cause, util.inspect and JSON. */
  function textsOf(error: unknown): string[] {
    const texts = [String(error), inspect(error, { depth: Infinity }), JSON.stringify(error)];
    for (let e: unknown = error; e instanceof Error; e = e.cause) texts.push(e.message, e.stack ?? "");
    return texts;
  }

  function assertClean(what: string, texts: string[]): void {
    for (const text of texts) {
      for (const form of secretForms()) assert.ok(!text.includes(form), `${what}: ${JSON.stringify(form)} leaked in:\n${text.slice(0, 2000)}`);
    }
  }

  /** `expected` undefined: the call succeeds, and its warning lines are what is swept. */
  const cases: { mode: Mode; call: () => Promise<unknown>; expected?: abstract new (...args: never[]) => Error }[] = [
    { mode: "http-error", call: () => client().searchPage(), expected: QualysHttpError },
    { mode: "redirect", call: () => client().get(5), expected: QualysHttpError },
    { mode: "malformed", call: () => client().get(5), expected: QualysHttpError },
    { mode: "api-error", call: () => client().searchPage(), expected: QualysApiError },
    { mode: "duplicate", call: () => client().create({ title: "web", type: "UNLIMITED" }), expected: QualysDuplicateTitleError },
    { mode: "not-found", call: () => client().update(5, { title: "web", type: "UNLIMITED" }), expected: QualysNotFoundError },
    { mode: "in-use", call: () => client().delete(5), expected: QualysKeyInUseError },
    { mode: "auth-401", call: () => client().get(5), expected: QualysAuthError },
    { mode: "auth-200", call: () => client().get(5), expected: QualysAuthError },
    {
      mode: "rate-limit",
      call: () => client({ scheduler: new LimitAwareScheduler({ clock: new FakeClock(), logger, maxAttempts: 2 }) }).get(5),
      expected: QualysRateLimitError,
    },
    { mode: "reset", call: () => client().create({ title: "web", type: "UNLIMITED" }), expected: QualysNetworkError },
    { mode: "silent", call: () => client({ timeoutMs: 200 }).get(5), expected: QualysNetworkError },
    { mode: "flood", call: () => client().searchPage(), expected: QualysAnswerTooLargeError },
    { mode: "endless", call: () => client().searchAll(), expected: QualysAnswerTooLargeError },
    { mode: "odd-key", call: () => client().get(5), expected: QualysUnreadableKeyError },
    { mode: "odd-key", call: () => client().searchAll() },
    { mode: "jwt-auth-401", call: () => jwt().get(5), expected: QualysAuthError },
    { mode: "jwt-auth-500", call: () => jwt().get(5), expected: QualysHttpError },
    { mode: "jwt-api-401", call: () => jwt().get(5), expected: QualysAuthError },
    { mode: "jwt-api-error", call: () => jwt().searchPage(), expected: QualysApiError },
  ];

  for (const c of cases) {
    it(`${c.mode}: ${c.expected ? c.expected.name : "the search's warning"} carries no secret form`, async () => {
      mode = c.mode;
      lines.length = 0;
      const error = await c.call().then(() => undefined, (e: unknown) => e);
      if (c.expected) {
        assert.ok(error instanceof c.expected, `expected ${c.expected.name}, got ${String(error)}`);
        assertClean(c.mode, textsOf(error));
      } else {
        assert.equal(error, undefined, String(error));
        assert.ok(lines.some((l) => l.includes("skipped key 5")), "the odd key was reported");
      }
      assertClean(`${c.mode} log lines`, lines);
      assert.ok(server.requests.length > 0);
    });
  }

  it("a quoted body snippet never ends inside a password (redacted before it is cut)", async () => {
    mode = "cut-snippet";
    const error = await client().searchPage().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof QualysHttpError, String(error));
    for (const text of textsOf(error)) assert.ok(!text.includes(PASSWORD.slice(0, 8)), `the start of the password leaked in:\n${text.slice(0, 1000)}`);
    assert.match(error.bodySnippet ?? "", /^x{192}\[REDACT/);
  });

  it("a refused connection's error and cause carry no Authorization header", async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const refused = createQualysClient({ apiUrl: `http://127.0.0.1:${port}`, username: USER, password: PASSWORD, logger });
    const error = await refused.get(5).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof QualysNetworkError, String(error));
    assertClean("refused", textsOf(error));
  });

  it("the sweep saw the echo: the server really sent the secrets back", () => {
    assert.ok(tokens.length > 0, "JWT cases obtained tokens");
    assert.ok(server.requests.some((r) => String(r.headers.authorization).includes(BASIC_VALUE)));
  });
});


describe("no credential leaks: a password with a double quote, echoed as JSON (issue 19)", function () {
  // JSON spells `"` as `\"`: an echo in a JSON body, and our own JSON-encoded debug header lines,
  // carry the password in a spelling that differs from the raw one.
  const password = `Adv-S3cret-"Pw!${randomBytes(3).toString("hex")}`;
  const jsonSpelling = (text: string): string => JSON.stringify(text).slice(1, -1);
  const pair = `${USER}:${password}`;
  const forbidden = [password, jsonSpelling(password), pair, jsonSpelling(pair), Buffer.from(pair, "utf8").toString("base64")];
  let server: HostileServer;
  const lines: string[] = [];
  const logger: QualysLogger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m) };

  before(async () => {
    server = await startHostileServer((req, res) => {
      const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
      const decoded = Buffer.from(basic, "base64").toString("utf8");
      // A gateway's JSON error page that quotes what it was sent, and a header that echoes it too.
      res.writeHead(502, { "content-type": "application/json", "x-echo": decoded.slice(USER.length + 1) });
      res.end(JSON.stringify({ error: "bad gateway", youSent: decoded }));
    });
  });
  after(() => server.close());

  it("neither the error quoting the JSON body nor the debug header lines show it in any spelling", async () => {
    const api = createQualysClient({ apiUrl: server.url, username: USER, password, logger, clock: new FakeClock() });
    const error = await api.get(5).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof QualysHttpError, String(error));
    assert.match(error.message, /Body starts: \{"error":"bad gateway","youSent":"/, "the body is quoted");
    const texts = [String(error), inspect(error, { depth: Infinity }), JSON.stringify(error), error.stack ?? "", ...lines];
    assert.ok(lines.some((l) => l.includes("<- HTTP 502") && l.includes('"x-echo":')), "the answer's headers were logged");
    for (const text of texts) for (const form of forbidden) assert.ok(!text.includes(form), `${JSON.stringify(form)} leaked in:\n${text.slice(0, 2000)}`);
  });
});

describe("no error of got's leaves the client (issue 19)", function () {
  // got's RequestError carries the request options (the raw Authorization header among them), the
  // request, the response and the timings; the client keeps only a plain copy as a cause.
  const gotFields = ["options", "request", "response", "timings", "input"];
  let server: HostileServer;
  before(async () => {
    server = await startHostileServer((req, res) => {
      if (req.path.includes("/get/")) return void res.socket?.destroy(); // reset: got's ReadError/RequestError
      // search: never answers (got's TimeoutError)
    });
  });
  after(() => server.close());

  const cases: { name: string; call: (api: AgentActKeyApi) => Promise<unknown> }[] = [
    { name: "a reset", call: (api) => api.get(5) },
    { name: "a timeout", call: (api) => api.searchPage() },
  ];
  for (const c of cases) {
    it(`${c.name}: the cause chain holds QualysErrors and plain copies only`, async () => {
      const api = createQualysClient({ apiUrl: server.url, username: USER, password: PASSWORD, timeoutMs: 200, clock: new FakeClock() });
      const error = await c.call(api).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof QualysNetworkError, String(error));
      let causes = 0;
      for (let e: unknown = error.cause; e !== undefined; e = (e as Error).cause) {
        causes += 1;
        assert.ok(e instanceof Error, String(e));
        assert.ok(e instanceof QualysNetworkError || Object.getPrototypeOf(e) === Error.prototype, `a ${e.constructor.name} left the client`);
        for (const field of gotFields) assert.ok(!(field in e), `the cause carries ${field}`);
      }
      assert.ok(causes > 0, "the error keeps a cause");
      assert.doesNotMatch(inspect(error, { depth: Infinity }), /authorization':\s*'Basic/i);
    });
  }
});
