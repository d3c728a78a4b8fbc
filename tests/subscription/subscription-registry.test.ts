import { strict as assert } from "node:assert";
import { SubscriptionRegistry } from "../../provider/subscription/subscription-registry";
import type { ProviderSettings } from "../../provider/subscription/resolve-settings";

const settings = (overrides: Partial<ProviderSettings>): ProviderSettings => ({
  apiUrl: "https://qualysapi.example.com",
  username: "user-a",
  password: ["fake", "pw", "a"].join("-"),
  authMode: "basic",
  allowInsecureHttp: false,
  ...overrides,
});

describe("subscription registry: one context per subscription, even inside one process", () => {
  it("never shares a client or read cache between two users or two URLs, and reuses them for the same subscription", () => {
    const registry = new SubscriptionRegistry(() => undefined);
    const a = registry.contextFor(settings({}));
    const otherUser = registry.contextFor(settings({ username: "user-b", password: ["fake", "pw", "b"].join("-") }));
    const otherUrl = registry.contextFor(settings({ apiUrl: "https://qualysapi.eu.example.com" }));
    for (const other of [otherUser, otherUrl]) {
      assert.notEqual(other.api, a.api);
      assert.notEqual(other.reader, a.reader);
    }
    assert.equal(registry.contextFor(settings({})), a, "the same subscription gets the same context");
  });
});
