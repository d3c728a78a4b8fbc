import { strict as assert } from "node:assert";
import { checkActivationKeyInputs, type CheckOutcome } from "../../provider/activation-key/check";

/**
 * Inputs that used to pass check and then broke at create or later (issue 11, "Nothing lost";
 * issue 10, `type` case): each is refused at `pulumi preview` naming the property and the fix, or
 * written the one way Qualys stores it, so nothing is sent that cannot come back unchanged.
 */
describe("check: inputs that cannot round-trip through Qualys", () => {
  const now = Date.parse("2029-06-15T12:00:00Z");
  const check = (news: Record<string, unknown>): CheckOutcome => checkActivationKeyInputs(news, now);
  const failureOf = (news: Record<string, unknown>, property: string): string => {
    const outcome = check(news);
    const failure = outcome.failures.find((f) => f.property === property);
    assert.ok(failure, `expected a failure on ${property} for ${JSON.stringify(news, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v))}, got ${JSON.stringify(outcome.failures)}`);
    return failure.reason;
  };

  describe("integers beyond 2^53 − 1 (they cannot be parsed back exactly)", () => {
    const counted = { title: "big", type: "COUNT_LIMITED" };
    const cases: [string, Record<string, unknown>][] = [
      ["countPurchased", { ...counted, countPurchased: 9007199254740994 }],
      ["countPurchased", { ...counted, countPurchased: Infinity }],
      ["countPurchased", { ...counted, countPurchased: 1e300 }],
      ["ownerId", { title: "big", ownerId: 1e20 }],
      ["networkId", { title: "big", networkId: 2 ** 60 }],
      ["tagIds", { title: "big", tagIds: [1, 9007199254740992] }],
    ];
    for (const [property, news] of cases) {
      it(`refuses ${property} ${String(news[property])}, naming the limit`, () => {
        assert.match(failureOf(news, property), /at most 9007199254740991/);
      });
    }

    it("accepts the largest exact integer", () => {
      assert.deepEqual(check({ title: "edge", ownerId: Number.MAX_SAFE_INTEGER }).failures, []);
    });
  });

  describe("modules", () => {
    it("suggests the documented license a misspelled name is close to, and nothing for a name far from all", () => {
      const warnings = check({ title: "m", modules: ["VM_LICENCE", "pc_licnese", "XDR_NEXT"] }).warnings.join("\n");
      assert.match(warnings, /VM_LICENCE \(did you mean VM_LICENSE\?\)/);
      assert.match(warnings, /PC_LICNESE \(did you mean PC_LICENSE\?\)/);
      assert.match(warnings, /XDR_NEXT are not among/);
      assert.deepEqual(check({ title: "m", modules: ["SA", "SCA"] }).warnings, [], "documented names, however short, earn nothing");
    });
  });

  describe("titles", () => {
    it("are stored trimmed, the way Qualys stores them, so diff and adopt see the same title", () => {
      const outcome = check({ title: "  linux servers \t" });
      assert.deepEqual(outcome.failures, []);
      assert.equal(outcome.inputs.title, "linux servers");
    });

    it("that are blank once trimmed are refused", () => {
      assert.match(failureOf({ title: " \t " }, "title"), /must not be empty or blank/);
    });

    it("count their length once trimmed", () => {
      assert.deepEqual(check({ title: ` ${"t".repeat(256)} ` }).failures, []);
      assert.match(failureOf({ title: "t".repeat(257) }, "title"), /1 to 256 characters/);
    });

    for (const [name, bad] of [
      ["NUL", "\u0000"],
      ["U+0001", "\u0001"],
      ["U+FFFE", "\uFFFE"],
      ["a lone high surrogate", "\uD800"],
      ["a lone low surrogate", "\uDC00"],
    ] as const) {
      it(`with ${name} (XML cannot carry it) are refused, naming the character`, () => {
        const reason = failureOf({ title: `web${bad}servers` }, "title");
        assert.match(reason, /XML/);
        assert.match(reason, new RegExp(`U\\+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} at position 4`));
      });
    }

    it("may hold any other Unicode, emoji (surrogate pairs) and tabs included", () => {
      for (const title of ["Büro – Zürich", "キー", "rocket 🚀", "a\tb"]) assert.deepEqual(check({ title }).failures, [], title);
    });
  });

  describe("expireDate must be a real calendar date and time", () => {
    const timed = { title: "t", type: "TIME_LIMITED" };
    for (const expireDate of ["2030-13-45", "2030-02-30", "2030-00-10", "2031-02-29", "2030-04-31", "2030-01-01T25:61:61Z", "2030-01-01T24:00:00Z", "2030-01-01T12:60:00Z", "2030-01-01T12:00:60Z"]) {
      it(`refuses ${expireDate}`, () => {
        assert.match(failureOf({ ...timed, expireDate }, "expireDate"), /not a real UTC date/);
      });
    }

    it("accepts a leap day and the last second of a day", () => {
      for (const [expireDate, stored] of [["2032-02-29", "2032-02-29T00:00:00Z"], ["2030-12-31T23:59:59.999Z", "2030-12-31T23:59:59Z"]]) {
        const outcome = check({ ...timed, expireDate });
        assert.deepEqual(outcome.failures, [], expireDate);
        assert.equal(outcome.inputs.expireDate, stored);
      }
    });
  });

  describe("type: any case, stored upper case like modules", () => {
    it("accepts count_limited and returns COUNT_LIMITED, so diff against Qualys stays quiet", () => {
      const outcome = check({ title: "t", type: "count_limited", countPurchased: 5 });
      assert.deepEqual(outcome.failures, []);
      assert.equal(outcome.inputs.type, "COUNT_LIMITED");
    });

    it("applies the type's own rules to the upper-cased value", () => {
      assert.match(failureOf({ title: "t", type: "Time_Limited" }, "expireDate"), /required for a TIME_LIMITED key/);
      assert.match(failureOf({ title: "t", type: "unlimited", countPurchased: 3 }, "countPurchased"), /this key is UNLIMITED/);
    });

    it("still refuses an unknown type, saying that case does not matter", () => {
      assert.match(failureOf({ title: "t", type: "limited" }, "type"), /must be one of UNLIMITED, COUNT_LIMITED, TIME_LIMITED, COUNT_TIME_LIMITED \(in any case\); got "limited"/);
    });
  });
});
