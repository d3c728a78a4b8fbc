import { strict as assert } from "node:assert";
import { REDACTED, redactHeaders, redactText } from "../../provider/qualys/redact";
import { QualysDuplicateTitleError, QualysRateLimitError, QualysError, QualysKeyInUseError } from "../../provider/qualys/errors";

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

describe("error messages after an interrupted run (issue 11)", () => {
  it("a duplicate title on create says an interrupted run may have created this very key, and adopt: true takes it", () => {
    const err = new QualysDuplicateTitleError({
      responseCode: "CA_1001_DUPLICATE_KEY",
      errorMessage: "Activation key already exists with title web",
      errorResolution: "Use another title.",
      operation: "create",
      title: "web",
    });
    assert.match(err.message, /an earlier run was interrupted .* may be the very key it created: set adopt: true to take it over/);
    assert.doesNotMatch(err.message, /\.\./, "no doubled period after Qualys' own resolution");
  });

  it("the key-in-use message has no doubled period either", () => {
    const err = new QualysKeyInUseError({ responseCode: "OTHER_ERROR", errorResolution: "Remove the agents first.", operation: "delete", keyId: 7 });
    assert.doesNotMatch(err.message, /\.\./);
    assert.match(err.message, /Remove the agents first\. Agents are still registered/);
  });
});
