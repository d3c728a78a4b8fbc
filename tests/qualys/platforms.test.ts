import { strict as assert } from "node:assert";
import { PLATFORMS, resolveEndpoints } from "../../provider/qualys/platforms";
import { QualysConfigError } from "../../provider/qualys/errors";

describe("platforms", () => {
  it("lists every documented platform with https API and gateway URLs", () => {
    assert.deepEqual(Object.keys(PLATFORMS).sort(), [
      "AE1", "AU1", "CA1", "EU1", "EU2", "EU3", "IN1", "KSA1", "UK1", "US1", "US2", "US3", "US4",
    ]);
    for (const [name, p] of Object.entries(PLATFORMS)) {
      assert.match(p.apiUrl, /^https:\/\/qualysapi\.[a-z0-9.]+$/, name);
      assert.match(p.gatewayUrl, /^https:\/\/gateway\.[a-z0-9.]+$/, name);
    }
  });

  it("resolves a platform name case-insensitively", () => {
    assert.deepEqual(resolveEndpoints({ platform: "eu3" }), {
      apiUrl: "https://qualysapi.qg3.apps.qualys.it",
      gatewayUrl: "https://gateway.qg3.apps.qualys.it",
    });
    assert.equal(resolveEndpoints({ platform: "US1" }).apiUrl, "https://qualysapi.qualys.com");
  });

  it("lets explicit URLs win and strips trailing slashes", () => {
    assert.deepEqual(resolveEndpoints({ platform: "US2", apiUrl: "https://qualysapi.private.example//" }), {
      apiUrl: "https://qualysapi.private.example",
      gatewayUrl: "https://gateway.qg2.apps.qualys.com",
    });
    assert.deepEqual(resolveEndpoints({ apiUrl: "http://127.0.0.1:8080/" }), { apiUrl: "http://127.0.0.1:8080" });
  });

  it("refuses an unknown platform, listing the valid names", () => {
    assert.throws(
      () => resolveEndpoints({ platform: "US9" }),
      (e: unknown) => e instanceof QualysConfigError && /US9/.test(e.message) && /KSA1/.test(e.message) && /qualys:apiUrl/.test(e.message),
    );
  });

  it("refuses a configuration with neither platform nor apiUrl", () => {
    assert.throws(() => resolveEndpoints({}), QualysConfigError);
  });
});
