import { strict as assert } from "node:assert";
import { QualysAnswerTooLargeError, QualysHttpError } from "../../provider/qualys/errors";
import { MAX_SEARCH_PAGES, searchAllPages } from "../../provider/qualys/api/search-all-pages";
import type { SearchCriteria, SearchPage } from "../../provider/qualys/types";

// The paging loop alone, fed scripted pages: the over-HTTP paging test is in client.test.ts.
function scripted(pages: SearchPage[]) {
  const calls: SearchCriteria[][] = [];
  const fn = async (criteria: SearchCriteria[], limit: number): Promise<SearchPage> => {
    assert.equal(limit, 1000);
    calls.push(criteria);
    const page = pages.shift();
    if (!page) throw new Error("asked for more pages than scripted");
    return page;
  };
  return { fn, calls };
}

describe("search-all-pages", () => {
  it("follows lastId with id GREATER, keeping the caller's criteria", async () => {
    const { fn, calls } = scripted([
      { keys: [{ id: 1 }, { id: 5 }], count: 2, hasMoreRecords: true, lastId: 5 },
      { keys: [{ id: 9 }], count: 1, hasMoreRecords: false },
    ]);
    const isDisabled: SearchCriteria = { field: "isDisabled", operator: "EQUALS", value: "true" };
    const keys = await searchAllPages(fn, [isDisabled]);
    assert.deepEqual(keys.map((k) => k.id), [1, 5, 9]);
    assert.deepEqual(calls, [[isDisabled], [isDisabled, { field: "id", operator: "GREATER", value: "5" }]]);
  });

  it("stops with a clear error on an empty page that claims more records", async () => {
    const { fn } = scripted([{ keys: [], count: 0, hasMoreRecords: true }]);
    await assert.rejects(searchAllPages(fn), (e: unknown) => e instanceof QualysHttpError && /empty page/.test(e.message));
  });

  it("stops with a clear error when lastId does not advance", async () => {
    const { fn } = scripted([
      { keys: [{ id: 7 }], count: 1, hasMoreRecords: true, lastId: 7 },
      { keys: [{ id: 7 }], count: 1, hasMoreRecords: true, lastId: 7 },
    ]);
    await assert.rejects(searchAllPages(fn), (e: unknown) => e instanceof QualysHttpError && /does not advance/.test(e.message));
  });

  it("fails with QUALYS_ANSWER_TOO_LARGE after MAX_SEARCH_PAGES pages that keep claiming more (issue 11)", async () => {
    const endless = Array.from({ length: MAX_SEARCH_PAGES + 50 }, (_, i): SearchPage => ({ keys: [{ id: i + 1 }], count: 1, hasMoreRecords: true, lastId: i + 1 }));
    const { fn, calls } = scripted(endless);
    await assert.rejects(searchAllPages(fn, [{ field: "isDisabled", operator: "EQUALS", value: "true" }]), (e: unknown) => {
      assert.ok(e instanceof QualysAnswerTooLargeError, String(e));
      assert.equal(e.limit, MAX_SEARCH_PAGES);
      assert.match(e.message, /search for isDisabled EQUALS "true" still claimed more records/);
      return true;
    });
    assert.equal(calls.length, MAX_SEARCH_PAGES);
  });

  it("stops after maxPages even when the server has more", async () => {
    const { fn, calls } = scripted([
      { keys: [{ id: 1 }], count: 1, hasMoreRecords: true, lastId: 1 },
      { keys: [{ id: 2 }], count: 1, hasMoreRecords: true, lastId: 2 },
      { keys: [{ id: 3 }], count: 1, hasMoreRecords: true, lastId: 3 },
    ]);
    const keys = await searchAllPages(fn, [], { maxPages: 2 });
    assert.deepEqual(keys.map((k) => k.id), [1, 2]);
    assert.equal(calls.length, 2);
  });
});
