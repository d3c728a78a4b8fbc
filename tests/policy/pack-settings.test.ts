import { strict as assert } from "node:assert";
import { QUALYS_POLICY_NAMES, qualysPolicies, QualysPolicyConfigError } from "pulumi-qualys/policy";

/**
 * The settings a pack writes in its code (examples/policy-pack/index.ts) become the defaults the
 * pack reports, and a typo stops the pack at start with QUALYS_POLICY_CONFIG_ERROR rather than at
 * the first preview.
 */
describe("pulumi-qualys/policy settings in the pack's code", () => {
  it("apply `all` first, then each policy's level and settings, as the reported defaults", () => {
    const policies = qualysPolicies({ policies: { all: "advisory", "qualys-key-expiry-bounded": { enforcementLevel: "mandatory", maxDays: 30 }, "qualys-key-count-limit": "disabled" } });
    assert.deepEqual(
      policies.map((p) => p.name),
      QUALYS_POLICY_NAMES,
    );
    const levels = Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]));
    assert.equal(levels["qualys-key-expiry-bounded"], "mandatory");
    assert.equal(levels["qualys-key-count-limit"], "disabled");
    assert.equal(levels["qualys-keys-unique-titles"], "advisory", "`all` overrides a policy's own level");
    const expiry = policies.find((p) => p.name === "qualys-key-expiry-bounded")!;
    assert.equal((expiry.configSchema!.properties.maxDays as { default: number }).default, 30);
  });

  it("refuse a policy name or a value the pack does not have, naming each", () => {
    assert.throws(
      () => qualysPolicies({ policies: { "qualys-key-ownr-required": "mandatory", "qualys-key-expiry-bounded": { maxDays: -1 }, all: { maxDays: 1 } } }),
      (error: unknown) => {
        assert.ok(error instanceof QualysPolicyConfigError);
        assert.equal(error.code, "QUALYS_POLICY_CONFIG_ERROR");
        assert.match(error.message, /^Invalid policy configuration: "qualys-key-ownr-required" is not a policy of this pack \(policies: qualys-key-owner-required, .*\); qualys-key-expiry-bounded: maxDays must be >= 1 \(got -1\); all: only an enforcement level can apply to every policy\.$/);
        return true;
      },
    );
  });
});
