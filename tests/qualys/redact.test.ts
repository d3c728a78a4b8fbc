import { strict as assert } from "node:assert";
import { REDACTED, redactHeaders, redactText } from "../../provider/qualys/redact";
import { QualysRateLimitError, QualysError, QualysKeyInUseError } from "../../provider/qualys/errors";

describe("redact", () => {
  it("replaces credential headers and keeps the rest", () => {
    const out = redactHeaders({ Authorization: "Basic dXNlcjpwYXNz", "X-Requested-With": "pulumi-qualys" });
    assert.deepEqual(out, { authorization: REDACTED, "x-requested-with": "pulumi-qualys" });
  });

  it("removes Basic/Bearer values, form passwords, JWTs and literal secrets from text", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
    const text = `Authorization: Basic dXNlcjpwYXNz; body username=u&password=hunter22&token=true; ${jwt}; pw s3cr3t-pass`;
    const out = redactText(text, ["s3cr3t-pass"]);
    for (const leaked of ["dXNlcjpwYXNz", "hunter22", jwt, "s3cr3t-pass"]) assert.ok(!out.includes(leaked), `${leaked} leaked: ${out}`);
    assert.match(out, /Basic \[REDACTED\]/);
  });
});

describe("errors", () => {
  it("carry a stable code and the class name", () => {
    const err = new QualysKeyInUseError({ responseCode: "INVALID_REQUEST", operation: "delete", keyId: 7 });
    assert.ok(err instanceof QualysError);
    assert.equal(err.code, "QUALYS_KEY_IN_USE");
    assert.equal(err.name, "QualysKeyInUseError");
    assert.match(err.message, /key 7/);
    assert.match(err.message, /changeactkey/);
  });

  it("rate-limit errors say how long to wait, the limit, the window and what to do", () => {
    const err = new QualysRateLimitError({ kind: "rate", limit: 300, windowSec: 3600, toWaitSec: 2050, operation: "create" });
    assert.equal(err.code, "QUALYS_RATE_LIMITED");
    assert.match(err.message, /300 calls per 3600 s/);
    assert.match(err.message, /wait 2050 s/);
    assert.match(err.message, /qualys:maxWaitSec/);
  });
});
