import { strict as assert } from "node:assert";
import { subscriptionCount } from "../../provider/scheduling/scheduler-registry";
import { resolveProviderSettings } from "../../provider/subscription/resolve-settings";
import { SubscriptionRegistry } from "../../provider/subscription/subscription-registry";

/** A fake password built at run time: never a real-looking credential in the source. */
const PASSWORD = ["registry", "test", "pw"].join("-");

function settingsOf(username: string) {
  const config: Record<string, string> = { "qualys:username": username, "qualys:password": PASSWORD, "qualys:apiUrl": "https://qualysapi.example.com" };
  return resolveProviderSettings({ get: (key) => config[key] }, {});
}

describe("subscription registry: bounded", () => {
  it("keeps at most its maximum of configurations, least recently used dropped, with their subscription limits", () => {
    const registry = new SubscriptionRegistry(() => undefined, undefined, 8);
    const before = subscriptionCount();
    const kept = registry.contextFor(settingsOf("kept-user"));
    for (let i = 0; i < 5000; i++) {
      registry.contextFor(settingsOf(`user-${i}`));
      // The configuration in use stays: it is used again between the others.
      if (i % 4 === 0) assert.equal(registry.contextFor(settingsOf("kept-user")), kept);
    }
    assert.equal(registry.size, 8);
    assert.ok(subscriptionCount() - before <= 8, `the scheduler registry forgot the dropped subscriptions (${subscriptionCount() - before} kept)`);
    const again = registry.contextFor(settingsOf("user-0"));
    assert.equal(registry.contextFor(settingsOf("user-0")), again, "a dropped configuration is rebuilt once, then reused");
  });

  it("defaults to a bound far above one program's providers", () => {
    const registry = new SubscriptionRegistry(() => undefined);
    for (let i = 0; i < 1000; i++) registry.contextFor(settingsOf(`default-${i}`));
    assert.ok(registry.size >= 16 && registry.size <= 256, String(registry.size));
  });
});
