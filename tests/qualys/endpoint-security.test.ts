import { strict as assert } from "node:assert";
import { assertSecureEndpoint, isLoopbackHost } from "../../provider/qualys/transport/endpoint-security";
import { QualysConfigError } from "../../provider/qualys/errors";

describe("endpoint-security", () => {
  it("recognises loopback hosts only", () => {
    for (const host of ["127.0.0.1", "127.8.9.10", "localhost", "LOCALHOST", "[::1]", "::1"]) assert.ok(isLoopbackHost(host), host);
    for (const host of ["128.0.0.1", "10.0.0.1", "qualysapi.qualys.com", "localhost.example.com", "[::2]", "127.0.0.1.nip.io"]) {
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
