import { strict as assert } from "node:assert";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { keysOf, qps, type QpsAnswer } from "./simulator-http";

function search(sim: RunningSimulator, inner: string): Promise<QpsAnswer> {
  return qps(sim.url, "search/ca/agentactkey/", `<ServiceRequest>${inner}</ServiceRequest>`);
}

function criteria(...items: [string, string, string][]): string {
  return `<filters>${items.map(([field, operator, value]) => `<Criteria field="${field}" operator="${operator}">${value}</Criteria>`).join("")}</filters>`;
}

function ids(answer: QpsAnswer): number[] {
  return keysOf(answer).map((key) => Number(key.id));
}

describe("simulator agentactkey search", () => {
  let sim: RunningSimulator;
  let all: number[];
  beforeEach(async () => {
    sim = await startSimulator();
    all = [];
    for (let index = 0; index < 7; index += 1) {
      const key = sim.admin.insertKey({
        title: `key-${index}`,
        type: index % 2 === 0 ? "UNLIMITED" : "COUNT_LIMITED",
        countPurchased: index % 2 === 0 ? 0 : index * 10,
        ownerId: index < 3 ? 111 : 222,
      });
      all.push(key.id);
    }
  });
  afterEach(() => sim.close());

  it("pages with limitResults, hasMoreRecords and lastId, and the next page follows id GREATER lastId", async () => {
    const first = await search(sim, "<preferences><limitResults>3</limitResults></preferences>");
    assert.deepEqual(ids(first), all.slice(0, 3));
    assert.equal(first.body?.count, "3");
    assert.equal(first.body?.hasMoreRecords, "true");
    assert.equal(first.body?.lastId, String(all[2]));
    const seen = [...ids(first)];
    let lastId: string | undefined = first.body?.lastId;
    for (let page = 0; page < 5 && lastId; page += 1) {
      const next = await search(sim, `<preferences><limitResults>3</limitResults></preferences>${criteria(["id", "GREATER", lastId])}`);
      seen.push(...ids(next));
      lastId = next.body?.hasMoreRecords === "true" ? next.body.lastId : undefined;
    }
    assert.deepEqual(seen, all);
  });

  it("pages with startFromOffset (1-based), raised by the page size, also under a filter", async () => {
    const offsets = (start: number, limit: number, filter = ""): string =>
      `<preferences><startFromOffset>${start}</startFromOffset><limitResults>${limit}</limitResults></preferences>${filter}`;
    const pages: number[][] = [];
    const more: (string | undefined)[] = [];
    for (let start = 1; start <= all.length + 3; start += 3) {
      const page = await search(sim, offsets(start, 3));
      pages.push(ids(page));
      more.push(page.body?.hasMoreRecords);
    }
    assert.deepEqual(pages, [all.slice(0, 3), all.slice(3, 6), all.slice(6), []]);
    assert.deepEqual(more, ["true", "true", "false", "false"]);
    // The offset counts matches of the filter (ownerId 222: the last four keys), not all keys.
    assert.deepEqual(ids(await search(sim, offsets(2, 2, criteria(["ownerId", "EQUALS", "222"])))), all.slice(4, 6));
  });

  it("refuses a startFromOffset below 1 or not a whole number", async () => {
    for (const start of ["0", "-3", "1.5", "first"]) {
      const refused = await search(sim, `<preferences><startFromOffset>${start}</startFromOffset></preferences>`);
      assert.equal(refused.body?.responseCode, "INVALID_REQUEST", start);
      assert.match(refused.body?.responseErrorDetails?.errorMessage ?? "", /startFromOffset/, start);
    }
  });

  it("returns at most 100 by default and refuses limitResults outside 1..1000", async () => {
    for (let index = 0; index < 100; index += 1) sim.admin.insertKey({ title: `bulk-${index}` });
    const page = await search(sim, "");
    assert.equal(ids(page).length, 100);
    assert.equal(page.body?.hasMoreRecords, "true");
    for (const limit of ["0", "1001"]) {
      const refused = await search(sim, `<preferences><limitResults>${limit}</limitResults></preferences>`);
      assert.equal(refused.body?.responseCode, "INVALID_REQUEST", limit);
    }
  });

  it("filters with EQUALS, NOT EQUALS, GREATER, LESSER, IN and CONTAINS, all criteria together", async () => {
    const [k0, k1, k2, k3, k4, k5, k6] = all;
    assert.deepEqual(ids(await search(sim, criteria(["id", "EQUALS", String(k3)]))), [k3]);
    assert.deepEqual(ids(await search(sim, criteria(["ownerId", "NOT EQUALS", "111"]))), [k3, k4, k5, k6]);
    assert.deepEqual(ids(await search(sim, criteria(["countPurchased", "GREATER", "20"]))), [k3, k5]);
    assert.deepEqual(ids(await search(sim, criteria(["id", "LESSER", String(k2)]))), [k0, k1]);
    assert.deepEqual(ids(await search(sim, criteria(["id", "IN", `${k1},${k4}, ${k6}`]))), [k1, k4, k6]);
    assert.deepEqual(ids(await search(sim, criteria(["type", "IN", "COUNT_LIMITED"], ["ownerId", "EQUALS", "222"]))), [k3, k5]);
    assert.deepEqual(ids(await search(sim, criteria(["title", "CONTAINS", "KEY-2"]))), [k2]);
    const activationKey = sim.admin.getKey(k4 ?? 0)?.activationKey ?? "";
    assert.deepEqual(ids(await search(sim, criteria(["activationKey", "EQUALS", activationKey]))), [k4]);
  });

  it("refuses unknown fields, operators a field does not allow and non-numeric integers", async () => {
    for (const item of [["uuid", "EQUALS", "x"], ["isDisabled", "GREATER", "true"], ["id", "EQUALS", "abc"], ["title", "IN", "a"]] as [string, string, string][]) {
      const answer = await search(sim, criteria(item));
      assert.equal(answer.status, 200);
      assert.equal(answer.body?.responseCode, "INVALID_REQUEST", item.join(" "));
    }
  });

  it("hides disabled keys unless a criterion on isDisabled is given", async () => {
    const [first, second] = all;
    sim.admin.patchKey(first ?? 0, { isDisabled: true });
    assert.ok(!ids(await search(sim, "")).includes(first ?? 0));
    assert.deepEqual(ids(await search(sim, criteria(["isDisabled", "EQUALS", "true"]))), [first]);
    const both = ids(await search(sim, criteria(["isDisabled", "NOT EQUALS", "true"], ["id", "LESSER", String((second ?? 0) + 1)])));
    assert.deepEqual(both, [second]);
  });

  it("refuses a title criterion when the subscription does not allow it", async () => {
    const strict = await startSimulator({ titleSearchable: false });
    try {
      const answer = await qps(strict.url, "search/ca/agentactkey/", `<ServiceRequest>${criteria(["title", "EQUALS", "a"])}</ServiceRequest>`);
      assert.equal(answer.body?.responseCode, "INVALID_REQUEST");
      assert.equal(answer.body?.responseErrorDetails?.errorMessage, "field title is not searchable");
    } finally {
      await strict.close();
    }
  });

  it("answers an empty result with count 0 and no data", async () => {
    const answer = await search(sim, criteria(["id", "GREATER", String(all[all.length - 1])]));
    assert.equal(answer.body?.responseCode, "SUCCESS");
    assert.equal(answer.body?.count, "0");
    assert.equal(answer.body?.hasMoreRecords, "false");
    assert.equal(answer.body?.data, undefined);
  });
});
