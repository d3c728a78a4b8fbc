import { strict as assert } from "node:assert";
import { checkActivationKeyInputs } from "../../provider/activation-key/check";

/** The future-date rule of check, with "now" injected (no dependence on the real date). */
describe("check: expireDate must lie in the future, judged once", () => {
  const now = Date.parse("2030-06-15T12:00:00Z");
  const key = { title: "contractors", type: "TIME_LIMITED" };

  it("accepts a future date in either documented form and normalises it to YYYY-MM-DDTHH:MM:SSZ", () => {
    for (const [written, stored] of [["2030-06-16", "2030-06-16T00:00:00Z"], ["2030-06-15T12:00:01.000Z", "2030-06-15T12:00:01Z"]]) {
      const outcome = checkActivationKeyInputs({ ...key, expireDate: written }, now);
      assert.deepEqual(outcome.failures, []);
      assert.equal(outcome.inputs.expireDate, stored);
    }
  });

  it("refuses a new key whose date has passed, naming the property and the fix", () => {
    const outcome = checkActivationKeyInputs({ ...key, expireDate: "2030-06-15T12:00:00Z" }, now);
    assert.equal(outcome.failures.length, 1);
    assert.equal(outcome.failures[0]?.property, "expireDate");
    assert.match(outcome.failures[0]?.reason ?? "", /not in the future.*Set a future UTC date/);
  });

  it("only warns when the deployed date has passed since, so previews and drift jobs keep working", () => {
    const olds = { ...key, expireDate: "2030-01-01T00:00:00Z" };
    const outcome = checkActivationKeyInputs({ ...key, expireDate: "2030-01-01" }, now, olds);
    assert.deepEqual(outcome.failures, []);
    assert.equal(outcome.inputs.expireDate, "2030-01-01T00:00:00Z");
    assert.equal(outcome.warnings.length, 1);
    assert.match(outcome.warnings[0] ?? "", /"contractors" expired on 2030-01-01T00:00:00Z.*Set a later expireDate/);
  });

  it("still refuses a change to another date that has passed", () => {
    const olds = { ...key, expireDate: "2030-01-01T00:00:00Z" };
    const outcome = checkActivationKeyInputs({ ...key, expireDate: "2030-02-01" }, now, olds);
    assert.equal(outcome.failures[0]?.property, "expireDate");
  });
});
