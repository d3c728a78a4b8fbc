import { strict as assert } from "node:assert";
import { changedFields } from "../../provider/activation-key/diff";

/**
 * diff, the drift report and refresh share changedFields. Inputs saved in state before check
 * trimmed titles and upper-cased types (a stack deployed with title " web ") must not show as
 * drift against what Qualys holds: spellings are no change, as for modules and dates.
 */
describe("changedFields: spellings Qualys does not keep are no change", () => {
  const actual = { title: "web", type: "COUNT_LIMITED", countPurchased: 5, modules: ["VM_LICENSE"], tagIds: [] };

  it("a title with surrounding whitespace, a type in another case", () => {
    assert.deepEqual(changedFields({ ...actual, title: "  web ", type: "count_limited" }, actual), []);
  });

  it("while a real change is still one", () => {
    assert.deepEqual(changedFields({ ...actual, title: "web2", type: "COUNT_TIME_LIMITED" }, actual), ["title", "type"]);
  });
});
