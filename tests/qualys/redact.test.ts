import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { addSecret, credentialForms, quoteServerText, REDACTED, redactHeaders, redactText, sanitizedCause } from "../../provider/qualys/redact";
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

describe("redact: every spelling of the user's secrets (issue 11)", () => {
  const user = "sim-user";
  const password = `Sim ${process.pid}@!&<pw`;

  it("covers the password, user:password and its base64, in raw, URL-, form- and XML-encoded spellings", () => {
    const forms = credentialForms(user, password);
    const pairBase64 = Buffer.from(`${user}:${password}`).toString("base64");
    const echoed = [
      password,
      `${user}:${password}`,
      pairBase64,
      encodeURIComponent(password),
      new URLSearchParams({ p: password }).toString().slice(2),
      password.replace(/&/g, "&amp;").replace(/</g, "&lt;"),
    ];
    for (const text of echoed) {
      const out = redactText(`the server said: ${text} (that was it)`, forms);
      assert.equal(out, `the server said: ${REDACTED} (that was it)`, text);
    }
  });

  it("covers the JSON-escaped spelling of a password holding a double quote or a backslash (issue 19)", () => {
    const quoted = `Adv-S3cret-"Pw!\\${process.pid}`;
    const forms = credentialForms(user, quoted);
    // What JSON.stringify writes inside a string: `"` as `\"`, `\` as `\\`.
    for (const text of [quoted, `${user}:${quoted}`]) {
      const json = JSON.stringify({ echo: text });
      assert.equal(redactText(json, forms), `{"echo":"${REDACTED}"}`, json);
    }
  });

  it("adds a token the client obtains later, even one that does not look like a JWT", () => {
    const forms = credentialForms(user, password);
    const token = `opaque${process.pid}token`;
    addSecret(forms, token);
    addSecret(forms, token);
    assert.equal(forms.filter((f) => f === token).length, 1);
    assert.equal(redactText(`echo token ${token}`, forms), `echo token ${REDACTED}`);
  });

  it("quotes server text redacted first and cut after, so no secret is left half-visible", () => {
    const forms = credentialForms(user, password);
    const quote = quoteServerText(`${"x".repeat(195)}${password} trailing`, 200, forms);
    assert.ok(!quote.includes(password.slice(0, 5)), quote);
    assert.equal(quote.length, 200);
  });

  it("makes a cause of a lower-level error with its name, code and redacted message only", () => {
    const original = Object.assign(new Error(`connect failed for ${password}`), {
      code: "ECONNREFUSED",
      options: { headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` } },
    });
    const cause = sanitizedCause(original, credentialForms(user, password));
    assert.equal((cause as { code?: string }).code, "ECONNREFUSED");
    assert.equal(cause.message, `connect failed for ${REDACTED}`);
    assert.doesNotMatch(inspect(cause, { depth: Infinity }), /authorization|Basic/);
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
