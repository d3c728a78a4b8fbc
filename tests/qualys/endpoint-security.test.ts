import { strict as assert } from "node:assert";
import { assertSecureEndpoint, isLoopbackHost } from "../../provider/qualys/transport/endpoint-security";
import { QualysConfigError } from "../../provider/qualys/errors";

describe("endpoint-security", () => {
  it("recognises loopback hosts only", () => {
    for (const host of ["127.0.0.1", "127.8.9.10", "localhost", "LOCALHOST", "[::1]", "::1"]) assert.ok(isLoopbackHost(host), host);
    // `anything.localhost` is resolved through DNS by Node (issue 11): not trusted as loopback.
    for (const host of ["128.0.0.1", "10.0.0.1", "qualysapi.qualys.com", "localhost.example.com", "[::2]", "127.0.0.1.nip.io", "anything.localhost", "api.LOCALHOST"]) {
      assert.ok(!isLoopbackHost(host), host);
    }
  });

  it("accepts https anywhere and http on loopback", () => {
    assertSecureEndpoint("https://qualysapi.qualys.com", "qualys:apiUrl", false);
    assertSecureEndpoint("http://127.0.0.1:4000", "qualys:apiUrl", false);
    assertSecureEndpoint("http://[::1]:4000", "qualys:apiUrl", false);
  });

  it("refuses http to another host, naming the URL and allowInsecureHttp", () => {
    assert.throws(
      () => assertSecureEndpoint("http://qualys.internal.example:8080", "qualys:gatewayUrl", false),
      (e: unknown) =>
        e instanceof QualysConfigError &&
        e.message.includes("http://qualys.internal.example:8080") &&
        e.message.includes("qualys:gatewayUrl") &&
        e.message.includes("qualys:allowInsecureHttp"),
    );
    assertSecureEndpoint("http://qualys.internal.example:8080", "qualys:gatewayUrl", true);
  });

  it("refuses plain http to a *.localhost name like any other host", () => {
    assert.throws(
      () => assertSecureEndpoint("http://qualys.localhost:8080", "qualys:apiUrl", false),
      (e: unknown) => e instanceof QualysConfigError && /uses plain http/.test(e.message),
    );
  });

  it("refuses a query or a fragment, which would swallow every path appended to the URL, naming the setting", () => {
    for (const url of ["https://qualysapi.qualys.com/?x=1", "https://qualysapi.qualys.com#top", "https://qualysapi.qualys.com/api?", "http://127.0.0.1:4000/#"]) {
      assert.throws(
        () => assertSecureEndpoint(url, "qualys:gatewayUrl", false),
        (e: unknown) => e instanceof QualysConfigError && /qualys:gatewayUrl .* must not contain a query \(\?…\) or a fragment \(#…\)/.test(e.message),
        url,
      );
    }
    // The query is not echoed: it could hold a token.
    assert.throws(
      () => assertSecureEndpoint("https://qualysapi.qualys.com/?token=abcdef123456", "qualys:apiUrl", false),
      (e: unknown) => e instanceof QualysConfigError && !e.message.includes("abcdef123456"),
    );
    assertSecureEndpoint("https://qualys.example/private-cloud", "qualys:apiUrl", false);
  });

  it("refuses other schemes, credentials in the URL and garbage without echoing credentials", () => {
    assert.throws(() => assertSecureEndpoint("ftp://qualys.example", "qualys:apiUrl", true), QualysConfigError);
    assert.throws(
      () => assertSecureEndpoint("https://bob:hunter22@qualys.example", "qualys:apiUrl", false),
      (e: unknown) => e instanceof QualysConfigError && !e.message.includes("hunter22"),
    );
    assert.throws(
      () => assertSecureEndpoint("not a url bob:hunter22@", "qualys:apiUrl", false),
      (e: unknown) => e instanceof QualysConfigError && !e.message.includes("hunter22"),
    );
  });
});
