/**
 * `qualys:timeoutMs` / QUALYS_TIMEOUT_MS (issue 11): advised by every timeout message, so it must be
 * read, validated with a field-named QUALYS_CONFIG_ERROR, and reach the client.
 */
import { strict as assert } from "node:assert";
import { QualysConfigError, QualysNetworkError } from "../../provider/qualys/errors";
import { resolveProviderSettings } from "../../provider/subscription/resolve-settings";
import { SubscriptionRegistry } from "../../provider/subscription/subscription-registry";
import { startHostileServer } from "../support/hostile-server";

const BASE = { QUALYS_USERNAME: "sim-user", QUALYS_PASSWORD: `sim-${process.pid}-password`, QUALYS_API_URL: "http://127.0.0.1:1" };
const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("qualys:timeoutMs setting (issue 11)", () => {
  it("is read from the stack config first, then QUALYS_TIMEOUT_MS, and is unset by default", () => {
    assert.equal(resolveProviderSettings(config({ "qualys:timeoutMs": "1500" }), { ...BASE, QUALYS_TIMEOUT_MS: "9000" }).timeoutMs, 1500);
    assert.equal(resolveProviderSettings(undefined, { ...BASE, QUALYS_TIMEOUT_MS: "9000" }).timeoutMs, 9000);
    assert.equal(resolveProviderSettings(undefined, BASE).timeoutMs, undefined);
  });

  it("refuses anything but a whole number of milliseconds a timer can hold, naming both ways to set it", () => {
    for (const bad of ["60s", "0", "-5", "1.5", "1e3", "Infinity", "2147483648"]) {
      assert.throws(
        () => resolveProviderSettings(undefined, { ...BASE, QUALYS_TIMEOUT_MS: bad }),
        (e: unknown) =>
          e instanceof QualysConfigError &&
          e.code === "QUALYS_CONFIG_ERROR" &&
          e.message.includes(`qualys:timeoutMs (QUALYS_TIMEOUT_MS) must be a whole number of milliseconds from 1 to 2147483647, got "${bad}"`),
        bad,
      );
    }
  });

  it("reaches the client: a silent server fails after the configured time, and the message says so", async () => {
    const server = await startHostileServer(() => undefined);
    try {
      const settings = resolveProviderSettings(config({ "qualys:timeoutMs": "250" }), { ...BASE, QUALYS_API_URL: server.url });
      const { api } = new SubscriptionRegistry(() => undefined).contextFor(settings);
      await assert.rejects(api.get(1), (e: unknown) => e instanceof QualysNetworkError && e.networkCode === "ETIMEDOUT" && /within 250 ms/.test(e.message));
    } finally {
      await server.close();
    }
  });
});
