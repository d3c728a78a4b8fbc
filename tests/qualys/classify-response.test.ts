import { strict as assert } from "node:assert";
import type { CallContext } from "../../provider/qualys/call-context";
import { classifyResponse, mayBeLimitBlock, type RawResponse } from "../../provider/qualys/wire/classify-response";
import {
  QualysApiError,
  QualysAuthError,
  QualysDuplicateTitleError,
  QualysHttpError,
  QualysKeyInUseError,
  QualysNotFoundError,
  QualysRateLimitError,
} from "../../provider/qualys/errors";
import type { QualysOperation } from "../../provider/qualys/types";
import { fixture } from "../support/fixtures";

// Classification of raw responses; the same paths over real HTTP are in client.test.ts.
const PASSWORD = "s3cret-Passw0rd";

function ctx(operation: QualysOperation = "get"): CallContext {
  return {
    operation,
    keyId: 42,
    request: { operation, method: "GET", url: "https://qualysapi.example/qps/rest/1.0/get/ca/agentactkey/42", headers: { authorization: "[REDACTED]" } },
    secrets: [PASSWORD],
  };
}

function raw(body: string, statusCode = 200, headers: RawResponse["headers"] = {}): RawResponse {
  return { statusCode, headers, body };
}

function qpsError(code: string, message = "", resolution = ""): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><ServiceResponse><responseCode>${code}</responseCode>` +
    `<responseErrorDetails><errorMessage>${message}</errorMessage><errorResolution>${resolution}</errorResolution>` +
    `</responseErrorDetails></ServiceResponse>`
  );
}

describe("classify-response", () => {
  it("returns the parsed response on SUCCESS", async () => {
    const res = await classifyResponse(raw(fixture("seed-get-response.xml")), ctx());
    assert.equal(res.keys[0]?.id, 3714801);
  });

  const cases: [string, RawResponse, QualysOperation, new (...a: never[]) => Error, string][] = [
    ["duplicate title", raw(qpsError("CA_1001_DUPLICATE_KEY", "Activation key already exists with title x")), "create", QualysDuplicateTitleError, "QUALYS_DUPLICATE_TITLE"],
    ["OBJECT_NOT_FOUND", raw(qpsError("OBJECT_NOT_FOUND")), "get", QualysNotFoundError, "QUALYS_NOT_FOUND"],
    ["INVALID_REQUEST saying not found", raw(qpsError("INVALID_REQUEST", "Activation key with id 42 does not exist")), "get", QualysNotFoundError, "QUALYS_NOT_FOUND"],
    ["HTTP 200 INVALID_CREDENTIALS", raw(qpsError("INVALID_CREDENTIALS")), "get", QualysAuthError, "QUALYS_AUTH_FAILED"],
    ["INSUFFICIENT_PERMISSION", raw(qpsError("INSUFFICIENT_PERMISSION")), "delete", QualysAuthError, "QUALYS_AUTH_FAILED"],
    ["HTTP 401 with HTML", raw("<html><body>Unauthorized</body></html>", 401), "get", QualysAuthError, "QUALYS_AUTH_FAILED"],
    ["HTTP 403 empty", raw("", 403), "get", QualysAuthError, "QUALYS_AUTH_FAILED"],
    ["delete refused for agents", raw(qpsError("INVALID_REQUEST", "Cannot delete activation key: 3 agents are registered with it")), "delete", QualysKeyInUseError, "QUALYS_KEY_IN_USE"],
    ["LIMIT_EXCEEDED", raw(qpsError("LIMIT_EXCEEDED"), 200), "search", QualysRateLimitError, "QUALYS_RATE_LIMITED"],
    ["HTTP 429 empty", raw("", 429, { "x-ratelimit-limit": "300" }), "get", QualysRateLimitError, "QUALYS_RATE_LIMITED"],
    ["HTML from a proxy", raw("<html><body><h1>502 Bad Gateway</h1></body></html>", 502), "get", QualysHttpError, "QUALYS_HTTP_ERROR"],
    ["empty 503", raw("", 503), "update", QualysHttpError, "QUALYS_HTTP_ERROR"],
    ["truncated XML", raw(fixture("seed-get-response.xml").slice(0, 500)), "get", QualysHttpError, "QUALYS_HTTP_ERROR"],
    ["another code", raw(qpsError("INVALID_REQUEST", "type is mandatory")), "update", QualysApiError, "QUALYS_API_ERROR"],
    // A blocked call's body code is not documented: on a 409 / 429 anything but a definite error is a block.
    ["HTTP 409 with OTHER_ERROR", raw(qpsError("OTHER_ERROR", "Too many requests"), 409), "update", QualysRateLimitError, "QUALYS_RATE_LIMITED"],
    ["HTTP 429 with an unknown code", raw(qpsError("TOO_MANY_REQUESTS"), 429), "get", QualysRateLimitError, "QUALYS_RATE_LIMITED"],
    ["HTTP 200 OTHER_ERROR naming code 1965", raw(qpsError("OTHER_ERROR", "1965: API call rate limit exceeded")), "search", QualysRateLimitError, "QUALYS_RATE_LIMITED"],
    ["HTTP 409 duplicate title", raw(qpsError("CA_1001_DUPLICATE_KEY", "Activation key already exists with title x"), 409), "create", QualysDuplicateTitleError, "QUALYS_DUPLICATE_TITLE"],
    ["not found naming id 1965", raw(qpsError("INVALID_REQUEST", "Activation key with id 1965 does not exist")), "get", QualysNotFoundError, "QUALYS_NOT_FOUND"],
  ];
  for (const [name, response, operation, cls, code] of cases) {
    it(`${name} -> ${cls.name} (${code})`, async () => {
      await assert.rejects(classifyResponse(response, ctx(operation)), (e: unknown) => {
        assert.ok(e instanceof cls, `got ${String(e)}`);
        assert.equal((e as QualysApiError).code, code);
        assert.equal((e as QualysApiError).operation, operation);
        assert.equal((e as QualysApiError).statusCode, response.statusCode);
        return true;
      });
    });
  }

  it("names the config keys and the operation's permission in auth errors", async () => {
    await assert.rejects(classifyResponse(raw(qpsError("UNAUTHORIZED")), ctx("delete")), (e: unknown) => {
      assert.ok(e instanceof QualysAuthError);
      assert.equal(e.responseCode, "UNAUTHORIZED");
      for (const part of ["qualys:username", "QUALYS_USERNAME", "QUALYS_PASSWORD", "CA Activation Key Delete"]) assert.ok(e.message.includes(part), part);
      return true;
    });
  });

  it("reads 409 body code 1960 as a concurrency block with the concurrency headers", async () => {
    const body = "<SIMPLE_RETURN><RESPONSE><CODE>1960</CODE><TEXT>concurrency limit</TEXT></RESPONSE></SIMPLE_RETURN>";
    await assert.rejects(
      classifyResponse(raw(body, 409, { "x-concurrencylimit-limit": "2", "x-concurrency-limit-running": "2" }), ctx()),
      (e: unknown) => e instanceof QualysRateLimitError && e.kind === "concurrency" && e.limit === 2,
    );
  });

  it("reads 409 body code 1965 as a rate block with limit, window, remaining and wait", async () => {
    const body = "<SIMPLE_RETURN><RESPONSE><CODE>1965</CODE></RESPONSE></SIMPLE_RETURN>";
    const headers = { "x-ratelimit-limit": "300", "x-ratelimit-window-sec": "3600", "x-ratelimit-remaining": "0", "x-ratelimit-towait-sec": "120" };
    await assert.rejects(classifyResponse(raw(body, 409, headers), ctx()), (e: unknown) => {
      assert.ok(e instanceof QualysRateLimitError);
      assert.deepEqual([e.kind, e.limit, e.windowSec, e.remaining, e.toWaitSec], ["rate", 300, 3600, 0, 120]);
      assert.match(e.message, /wait 120 s/);
      return true;
    });
  });

  it("takes the wait from a classic 409 body's SECONDS_TO_WAIT when no header carries it", async () => {
    // The VM API sample of docs/qualys-api.md, "Blocked answers: 409 and 429".
    const body =
      "<SIMPLE_RETURN><RESPONSE><DATETIME>2026-01-01T00:00:00Z</DATETIME><CODE>1965</CODE><TEXT> This API cannot be run again for " +
      "another 23 hours, 57 minutes and 54 seconds.</TEXT><ITEM_LIST><ITEM><KEY>SECONDS_TO_WAIT</KEY><VALUE>68928</VALUE></ITEM></ITEM_LIST></RESPONSE></SIMPLE_RETURN>";
    await assert.rejects(classifyResponse(raw(body, 409, { "x-ratelimit-limit": "300" }), ctx()), (e: unknown) => {
      assert.ok(e instanceof QualysRateLimitError);
      assert.deepEqual([e.kind, e.toWaitSec], ["rate", 68928]);
      assert.match(e.message, /wait 68928 s/);
      return true;
    });
    // A header, when there is one, is the server's latest word.
    await assert.rejects(
      classifyResponse(raw(body, 409, { "x-ratelimit-towait-sec": "30" }), ctx()),
      (e: unknown) => e instanceof QualysRateLimitError && e.toWaitSec === 30,
    );
  });

  it("tells answers that may be a limit block from those that certainly are not, before parsing", () => {
    assert.equal(mayBeLimitBlock(raw(fixture("seed-get-response.xml"))), false);
    assert.equal(mayBeLimitBlock(raw(qpsError("INVALID_REQUEST", "type is mandatory"))), false);
    assert.equal(mayBeLimitBlock(raw("", 409)), true);
    assert.equal(mayBeLimitBlock(raw("", 429)), true);
    assert.equal(mayBeLimitBlock(raw(qpsError("LIMIT_EXCEEDED"))), true);
    assert.equal(mayBeLimitBlock(raw(qpsError("OTHER_ERROR", "1960: concurrency limit exceeded"))), true);
  });

  it("quotes a redacted snippet of a non-XML body, without credentials or activation keys", async () => {
    const body = `<html>Proxy error for Authorization: Basic Ym9iOnMzY3JldA== user bob password=${PASSWORD}</html>`;
    await assert.rejects(classifyResponse(raw(body, 502), ctx()), (e: unknown) => {
      assert.ok(e instanceof QualysHttpError);
      assert.match(e.message, /Proxy error/);
      assert.ok(!e.message.includes(PASSWORD) && !e.message.includes("Ym9iOnMzY3JldA"));
      assert.ok(e.bodySnippet && !e.bodySnippet.includes(PASSWORD));
      return true;
    });
    const truncated =
      "<ServiceResponse><responseCode>SUCCESS</responseCode><data><AgentActKey><id>3714801</id>" +
      "<activationKey>3fcd9610-7fa0-4242-b2b7-2d4b24484d3c</activationKey><sta";
    await assert.rejects(classifyResponse(raw(truncated), ctx()), (e: unknown) => {
      assert.ok(e instanceof QualysHttpError);
      assert.match(e.message, /<activationKey>\[REDACTED\]/);
      assert.ok(!e.message.includes("3fcd9610"), e.message);
      return true;
    });
  });
});
