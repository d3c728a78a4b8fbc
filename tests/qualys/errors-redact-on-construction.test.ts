/**
 * Issue 16: redaction is a property of building an error, not a duty of its caller. Every layer
 * that builds one — the transport (no answer, too large an answer, an undecodable body), the
 * classification of an answer (API refusals, blocks, bad credentials, non-Qualys pages), the JWT
 * authenticator, and each error class built directly from raw material — is handed a request
 * that carried the password, the Basic header and a JWT (Authorization header, form body, URL),
 * against a server on 127.0.0.1 that echoes them all back, and the error it builds holds none:
 * not in its message, stack, util.inspect, JSON, any field, its request or its cause chain.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { callContext, type CallContext } from "../../provider/qualys/call-context";
import {
  QualysAnswerTooLargeError,
  QualysApiError,
  QualysAuthError,
  QualysDuplicateTitleError,
  QualysError,
  QualysHttpError,
  QualysKeyInUseError,
  QualysModulesNotLicensedError,
  QualysNetworkError,
  QualysNotFoundError,
  QualysRateLimitError,
  QualysUnreadableKeyError,
} from "../../provider/qualys/errors";
import { credentialForms } from "../../provider/qualys/redact";
import { summarizeRequest } from "../../provider/qualys/request-summary";
import { createHttpTransport, type HttpExchange, type HttpTransport } from "../../provider/qualys/transport/http-transport";
import { jwtAuthenticator } from "../../provider/qualys/transport/jwt-authenticator";
import type { QualysLogger, RequestSummary } from "../../provider/qualys/types";
import { classifyResponse } from "../../provider/qualys/wire/classify-response";
import { BASIC_VALUE, NOT_QUALYS_ECHOES, PAIR, PASSWORD, USER, xmlEscape } from "../support/echoed-credentials";
import { FakeClock } from "../support/fake-clock";
import { qpsXml, sendXml, startHostileServer, type HostileServer, type ReceivedRequest } from "../support/hostile-server";

const BASIC = `Basic ${BASIC_VALUE}`;
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
// A JWT the secrets list does not hold: only its shape can redact it.
const JWT = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url({ sub: USER, exp: 4102444800, n: randomBytes(6).toString("hex") })}.${randomBytes(32).toString("base64url")}`;
const BEARER = `Bearer ${JWT}`;
/** What the client would hold: every spelling of the password and the Basic pair, no JWT. */
const SECRETS = credentialForms(USER, PASSWORD);

const FORM_BODY = new URLSearchParams({ username: USER, password: PASSWORD, token: JWT }).toString();
/** A path whose query carries the credentials too, as a careless caller or proxy would. */
const ECHO_QUERY = `?password=${encodeURIComponent(PASSWORD)}&jwt=${JWT}`;

const FORMS = [PASSWORD, PAIR, BASIC_VALUE, encodeURIComponent(BASIC_VALUE), BASIC, JWT, BEARER, encodeURIComponent(PASSWORD), new URLSearchParams({ p: PASSWORD }).toString().slice(2), xmlEscape(PASSWORD)];

/** Everything the request carried, as a careless server echoes it. */
function echoOf(req: ReceivedRequest): string {
  return `you sent ${req.method} ${req.path} with Authorization: ${String(req.headers.authorization ?? "")} (decoded ${PAIR}) and body ${req.body}`;
}

/** Every text an error shows, down its cause chain. */
function textsOf(error: unknown): string[] {
  const texts: string[] = [String(error), inspect(error, { depth: 10 }), JSON.stringify(error)];
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    texts.push(e.message, e.stack ?? "", inspect(e, { depth: 10 }), JSON.stringify(e));
    for (const [name, value] of Object.entries(e)) texts.push(`${name}: ${JSON.stringify(value)}`);
    if (e instanceof QualysError && e.request) texts.push(JSON.stringify(e.request), inspect(e.request, { depth: 10 }));
  }
  return texts;
}

function assertClean(what: string, error: unknown): void {
  for (const text of textsOf(error)) {
    for (const form of FORMS) assert.ok(!text.includes(form), `${what}: ${JSON.stringify(form)} leaked in:\n${text.slice(0, 2000)}`);
  }
}

type Mode = "reset" | "silent" | "flood" | "bomb" | "bad-gzip" | "api-error" | "duplicate" | "not-found" | "in-use" | "auth-200" | "auth-401" | "rate-limit" | "http-error" | "redirect" | "malformed" | "jwt-401" | "jwt-500";

describe("errors redact when they are built, whichever layer builds them (issue 16)", function () {
  let server: HostileServer;
  let mode: Mode;
  const lines: string[] = [];
  const logger: QualysLogger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m) };

  before(async () => {
    server = await startHostileServer((req, res) => {
      const echo = echoOf(req);
      const qpsError = (code: string, message: string, status = 200, headers: Record<string, string> = {}) =>
        sendXml(res, qpsXml(`<responseCode>${code}</responseCode><responseErrorDetails><errorMessage>${xmlEscape(`${message} ${echo}`)}</errorMessage><errorResolution>${xmlEscape(echo)}.</errorResolution></responseErrorDetails>`), status, headers);
      switch (mode) {
        case "reset":
          return void res.socket?.destroy();
        case "silent":
          return;
        case "flood":
          return void res.writeHead(200, { "content-type": "application/xml" }).end(echo.repeat(Math.ceil(100_000 / echo.length)));
        case "bomb":
          return void res.writeHead(200, { "content-type": "application/xml", "content-encoding": "gzip" }).end(gzipSync(echo.repeat(Math.ceil(200_000 / echo.length))));
        case "bad-gzip":
          return void res.writeHead(200, { "content-type": "application/xml", "content-encoding": "gzip" }).end(echo);
        case "api-error":
          return qpsError("INVALID_REQUEST", "Bad request:");
        case "duplicate":
          return qpsError("CA_1001_DUPLICATE_KEY", "Activation key already exists:");
        case "not-found":
          return qpsError("OBJECT_NOT_FOUND", "No such key:");
        case "in-use":
          return qpsError("INVALID_REQUEST", "Agents are registered with this key:");
        case "auth-200":
          return qpsError("INVALID_CREDENTIALS", "Bad credentials:");
        case "auth-401":
          return void res.writeHead(401, { "content-type": "text/html" }).end(`<html>Unauthorized: ${echo}</html>`);
        case "rate-limit":
          return qpsError("OTHER_ERROR", "Code 1965: rate limit exceeded.", 409, { "x-ratelimit-limit": "300", "x-ratelimit-window-sec": "3600", "x-ratelimit-towait-sec": "5" });
        case "http-error":
        case "redirect":
        case "malformed":
          return NOT_QUALYS_ECHOES[mode](res, echo);
        case "jwt-401":
          return void res.writeHead(401, { "content-type": "text/plain" }).end(echo);
        case "jwt-500":
          return void res.writeHead(500, { "content-type": "text/html" }).end(`<html>${echo}</html>`);
      }
    });
  });
  after(() => server.close());
  beforeEach(() => {
    lines.length = 0;
  });

  const transport = (timeoutMs = 30_000): HttpTransport =>
    createHttpTransport({ timeoutMs, logger, secrets: SECRETS, caps: { maxWireBytes: 64 * 1024, maxDecodedBytes: 64 * 1024 } });

  /** One request carrying every credential: Authorization header, form body and URL. */
  const send = (t: HttpTransport, authorization: string, context: CallContext = callContext("update", SECRETS, { keyId: 5, title: "web" })): Promise<HttpExchange> =>
    t.send({ context, method: "POST", url: `${server.url}/qps/rest/1.0/update/ca/agentactkey/5${ECHO_QUERY}`, body: FORM_BODY, contentType: "application/x-www-form-urlencoded", authorization });

  const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => assert.fail("expected an error"), (e: unknown) => e);

  describe("the transport", () => {
    const cases: { mode: Mode; authorization: string; timeoutMs?: number; expected: abstract new (...args: never[]) => QualysError }[] = [
      { mode: "reset", authorization: BASIC, expected: QualysNetworkError },
      { mode: "silent", authorization: BEARER, timeoutMs: 200, expected: QualysNetworkError },
      { mode: "flood", authorization: BASIC, expected: QualysAnswerTooLargeError },
      { mode: "bomb", authorization: BEARER, expected: QualysAnswerTooLargeError },
      { mode: "bad-gzip", authorization: BASIC, expected: QualysHttpError },
    ];
    for (const c of cases) {
      it(`${c.mode}: ${c.expected.name} and the debug lines hold no credential`, async () => {
        mode = c.mode;
        const error = await rejection(send(transport(c.timeoutMs), c.authorization));
        assert.ok(error instanceof c.expected, String(error));
        assert.equal(error.operation, "update");
        assert.equal(error.keyId, 5);
        assert.ok(error.request, "the error keeps the request's summary");
        assert.equal(error.request.headers.authorization, "[REDACTED]");
        assertClean(c.mode, error);
        for (const line of lines) assertClean(`${c.mode} log line`, line);
        assert.ok(lines.length > 0);
      });
    }
  });

  describe("the classification of an answer", () => {
    const cases: { mode: Mode; expected: abstract new (...args: never[]) => QualysError; operation?: "delete" | "create" }[] = [
      { mode: "api-error", expected: QualysApiError },
      { mode: "duplicate", expected: QualysDuplicateTitleError, operation: "create" },
      { mode: "not-found", expected: QualysNotFoundError },
      { mode: "in-use", expected: QualysKeyInUseError, operation: "delete" },
      { mode: "auth-200", expected: QualysAuthError },
      { mode: "auth-401", expected: QualysAuthError },
      { mode: "rate-limit", expected: QualysRateLimitError },
      { mode: "http-error", expected: QualysHttpError },
      { mode: "redirect", expected: QualysHttpError },
      { mode: "malformed", expected: QualysHttpError },
    ];
    for (const c of cases) {
      it(`${c.mode}: ${c.expected.name} holds no credential the server echoed`, async () => {
        mode = c.mode;
        const exchange = await send(transport(), c.mode === "auth-401" ? BEARER : BASIC, callContext(c.operation ?? "update", SECRETS, { keyId: 5, title: "web" }));
        const answer = `${exchange.body} ${String(exchange.headers.location)}`;
        assert.ok([PASSWORD, xmlEscape(PASSWORD), encodeURIComponent(PASSWORD)].some((form) => answer.includes(form)), "the server echoed the password");
        const error = await rejection(classifyResponse(exchange, exchange.context));
        assert.ok(error instanceof c.expected, String(error));
        assertClean(c.mode, error);
      });
    }

    it("a context whose request was never summarized still yields a clean error", async () => {
      mode = "api-error";
      const exchange = await send(transport(), BASIC);
      // A careless caller hands down the raw request: the error's constructor redacts it anyway.
      const raw: RequestSummary = { operation: "update", method: "POST", url: `${server.url}/x${ECHO_QUERY}`, headers: { Authorization: BASIC, "X-Token": BEARER } };
      const error = await rejection(classifyResponse(exchange, { ...exchange.context, request: raw }));
      assert.ok(error instanceof QualysApiError, String(error));
      assert.deepEqual(error.request?.headers, { authorization: "[REDACTED]", "x-token": "Bearer [REDACTED]" });
      assertClean("raw request", error);
    });
  });

  describe("the JWT authenticator", () => {
    for (const [m, expected] of [["jwt-401", QualysAuthError], ["jwt-500", QualysHttpError]] as const) {
      it(`${m}: ${expected.name} from the gateway holds no credential`, async () => {
        mode = m;
        const auth = jwtAuthenticator({ gatewayUrl: `${server.url}/gw${ECHO_QUERY}#`, username: USER, password: PASSWORD, transport: transport(), clock: new FakeClock(), secrets: [...SECRETS] });
        const error = await rejection(auth.authorization());
        assert.ok(error instanceof expected, String(error));
        assert.equal(error.operation, "auth");
        assertClean(m, error);
        for (const line of lines) assertClean(`${m} log line`, line);
      });
    }
  });

  describe("each error class, built directly from raw material", () => {
    const echo = `server said: ${BASIC} ${BEARER} password=${PASSWORD} ${PAIR} ${xmlEscape(PASSWORD)} ${encodeURIComponent(PASSWORD)}`;
    const request: RequestSummary = { operation: "get", method: "GET", url: `https://qualysapi.example/qps/rest/1.0/get/ca/agentactkey/5${ECHO_QUERY}`, headers: { Authorization: BASIC, Cookie: `jwt=${JWT}` } };
    // An HTTP client's error as some clients make it: it holds the request options, Authorization included.
    const cause = Object.assign(new Error(`socket hang up after sending ${BASIC}`), { code: "ECONNRESET", options: { headers: { authorization: BEARER }, body: FORM_BODY } });
    const context = { operation: "get" as const, keyId: 5, title: `web ${PASSWORD}`, request, cause, secrets: SECRETS };
    const api = { ...context, responseCode: `OTHER ${PASSWORD}`, errorMessage: echo, errorResolution: `${echo}.` };
    const built: [string, () => QualysError][] = [
      ["QualysError", () => new QualysError("QUALYS_API_ERROR", echo, context)],
      ["QualysApiError", () => new QualysApiError(api)],
      ["QualysDuplicateTitleError", () => new QualysDuplicateTitleError(api)],
      ["QualysNotFoundError", () => new QualysNotFoundError(api)],
      ["QualysKeyInUseError", () => new QualysKeyInUseError(api)],
      ["QualysAuthError", () => new QualysAuthError(echo, { ...context, responseCode: `INVALID_CREDENTIALS ${PASSWORD}` })],
      ["QualysRateLimitError", () => new QualysRateLimitError({ ...context, kind: "rate", reason: echo })],
      ["QualysHttpError", () => new QualysHttpError(echo, { ...context, body: `<html>${echo}</html>` })],
      ["QualysNetworkError", () => new QualysNetworkError(echo, { ...context, networkCode: "ECONNRESET" })],
      ["QualysAnswerTooLargeError", () => new QualysAnswerTooLargeError(echo, { ...context, limit: 1, unit: "bytes" })],
      ["QualysUnreadableKeyError", () => new QualysUnreadableKeyError(echo, context)],
      ["QualysModulesNotLicensedError", () => new QualysModulesNotLicensedError(["VM"], context)],
    ];
    for (const [name, build] of built) {
      it(`${name}: message, fields, request and cause hold no credential`, () => {
        const error = build();
        assert.equal(error.constructor.name, name);
        assert.equal(error.request?.headers.authorization, "[REDACTED]");
        assert.ok(error.cause instanceof Error && !("options" in error.cause), "the cause is a sanitized copy");
        assertClean(name, error);
      });
    }

    it("a Qualys cause is kept as it was built (already redacted), not flattened", () => {
      const inner = new QualysNotFoundError(api);
      const outer = new QualysError("QUALYS_NOT_FOUND", `lookup failed: ${inner.message}`, { ...context, cause: inner });
      assert.equal(outer.cause, inner);
      assertClean("wrapped", outer);
    });

    it("summarizeRequest is the one way to a summary, and redacts", () => {
      const summary = summarizeRequest({ operation: "auth", method: "POST", url: `https://gw.example/auth${ECHO_QUERY}`, headers: { Authorization: BEARER, "Proxy-Authorization": BASIC, "X-Echo": [PAIR, JWT] } }, SECRETS);
      assert.equal(summary.headers.authorization, "[REDACTED]");
      assert.equal(summary.headers["proxy-authorization"], "[REDACTED]");
      assertClean("summary", JSON.stringify(summary));
      assert.deepEqual(summarizeRequest(summary, SECRETS), summary, "redacting a summary again changes nothing");
    });
  });

  describe("afterwards", () => {
    it("the server really saw every credential it echoed", () => {
      assert.ok(server.requests.some((r) => r.headers.authorization === BASIC));
      assert.ok(server.requests.some((r) => r.headers.authorization === BEARER));
      assert.ok(server.requests.some((r) => r.body.includes(new URLSearchParams({ p: PASSWORD }).toString().slice(2)) && r.path.includes(JWT)));
    });
  });
});
