import { strict as assert } from "node:assert";
import { parseStringPromise } from "xml2js";
import { parseServiceResponse, ServiceResponseFormatError } from "../../provider/qualys/wire/parse-service-response";
import { buildKeyWriteRequest, buildSearchRequest, EMPTY_SERVICE_REQUEST } from "../../provider/qualys/wire/xml-requests";
import { QualysError } from "../../provider/qualys/errors";
import type { AgentActKey } from "../../provider/qualys/types";
import { curlExample, fixture } from "../support/fixtures";

/**
 * The key of the Cloud Agent API guide's get sample (id 3714801, tests/fixtures/README.md), as it
 * must read.
 */
const SEED_KEY_3714801: AgentActKey = {
  id: 3714801,
  activationKey: "3fcd9610-7fa0-4242-b2b7-2d4b24484d3c",
  status: "ACTIVE",
  countPurchased: 0,
  countUsed: 0,
  datePurchased: "2021-05-19T10:57:48Z",
  type: "UNLIMITED",
  title: "Owner",
  networkId: 0,
  isDisabled: false,
  applyOnAgents: false,
  modules: ["PC_LICENSE"],
  suspendSelfPatch: false,
  ownerId: 381715587,
};

/** Parses a request body into a plain tree, so that element order does not matter. */
async function requestTree(xml: string): Promise<unknown> {
  return trimStrings(await parseStringPromise(xml, { explicitArray: true, trim: true, emptyTag: "" }));
}

function trimStrings(value: unknown): unknown {
  if (typeof value === "string") return value.trim();
  if (Array.isArray(value)) return value.map(trimStrings);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimStrings(v)]));
  }
  return value;
}

describe("xml-codec: parsing the seed responses", () => {
  it("reads the get sample with typed values and the wrapped activation key joined", async () => {
    const res = await parseServiceResponse(fixture("seed-get-response.xml"));
    assert.equal(res.responseCode, "SUCCESS");
    assert.equal(res.count, 1);
    assert.equal(res.hasMoreRecords, undefined);
    assert.deepEqual(res.keys, [SEED_KEY_3714801]);
  });

  it("reads the create sample (owner and PC_LICENSE module)", async () => {
    const res = await parseServiceResponse(fixture("seed-create-response.xml"));
    assert.equal(res.keys.length, 1);
    const key = res.keys[0]!;
    assert.equal(key.id, 3617002);
    assert.equal(key.activationKey, "c89d05c2-d30e-4a59-aec3-453605266da5");
    assert.equal(key.ownerId, 364812443);
    assert.deepEqual(key.modules, ["PC_LICENSE"]);
    assert.equal(key.tags, undefined);
  });

  it("keeps modules undefined when the update response omits them", async () => {
    const res = await parseServiceResponse(fixture("seed-update-response.xml"));
    const key = res.keys[0]!;
    assert.equal(key.title, "Update from APIfim owner1");
    assert.ok(!("modules" in key), "modules must be absent, not []");
    assert.equal(key.applyOnAgents, false);
  });

  it("reads the search sample: 3 keys, hasMoreRecords false, agents of the first key", async () => {
    const res = await parseServiceResponse(fixture("seed-search-response.xml"));
    assert.equal(res.count, 3);
    assert.equal(res.hasMoreRecords, false);
    assert.deepEqual(
      res.keys.map((k) => k.id),
      [3473802, 3617002, 3714801],
    );
    const first = res.keys[0]!;
    assert.equal(first.title, undefined);
    assert.equal(first.agents?.length, 4);
    assert.deepEqual(first.agents?.[0], {
      id: 8409005,
      uuid: "c67c64c9-0623-4d18-8de6-b2392f9464f3",
      name: "test_linux_1619075506543_49",
    });
    assert.deepEqual(res.keys[2], SEED_KEY_3714801);
  });

  it("distinguishes an empty list from a missing element, and reads tags and paging fields", async () => {
    const xml =
      "<ServiceResponse><responseCode>SUCCESS</responseCode><count>1</count>" +
      "<hasMoreRecords> true </hasMoreRecords><lastId>\n42\n</lastId><data><AgentActKey><id>42</id>" +
      "<modules><list/></modules><tags><list><Tag><id>7</id><name> prod </name></Tag><Tag><id>8</id></Tag></list></tags>" +
      "<agents><list/></agents></AgentActKey></data></ServiceResponse>";
    const res = await parseServiceResponse(xml);
    assert.equal(res.hasMoreRecords, true);
    assert.equal(res.lastId, 42);
    assert.deepEqual(res.keys[0], { id: 42, modules: [], tags: [{ id: 7, name: "prod" }, { id: 8 }], agents: [] });
  });

  it("reads error details", async () => {
    const res = await parseServiceResponse(
      "<ServiceResponse><responseCode>CA_1001_DUPLICATE_KEY</responseCode><responseErrorDetails>" +
        "<errorMessage>Activation key already exists with title x</errorMessage>" +
        "<errorResolution>Use another title</errorResolution></responseErrorDetails></ServiceResponse>",
    );
    assert.equal(res.responseCode, "CA_1001_DUPLICATE_KEY");
    assert.equal(res.errorMessage, "Activation key already exists with title x");
    assert.equal(res.errorResolution, "Use another title");
    assert.deepEqual(res.keys, []);
  });

  for (const [name, body] of [
    ["an HTML page", "<html><body><h1>502 Bad Gateway</h1></body></html>"],
    ["truncated XML", fixture("seed-get-response.xml").slice(0, 400)],
    ["an empty body", "  "],
    ["a response without responseCode", "<ServiceResponse><count>1</count></ServiceResponse>"],
  ] as const) {
    it(`rejects ${name} with ServiceResponseFormatError`, async () => {
      await assert.rejects(parseServiceResponse(body), ServiceResponseFormatError);
    });
  }

  it("sets aside a key it cannot represent exactly, whole, and reads the others (issue 11)", async () => {
    const key = (inner: string) => `<AgentActKey>${inner}</AgentActKey>`;
    const res = await parseServiceResponse(
      "<ServiceResponse><responseCode>SUCCESS</responseCode><count>6</count><data>" +
        key("<id>1</id><title>fine</title><countPurchased>9007199254740991</countPurchased>") +
        key("<id>2</id><title>huge count</title><countPurchased>9007199254740993</countPurchased>") +
        key("<id>3</id><title>owner in exponent form</title><ownerId>1e20</ownerId>") +
        key("<id>x</id><title>odd id</title>") +
        key("<title>no id</title>") +
        key("<id>9007199254740995</id><title>id beyond 2^53</title>") +
        "</data></ServiceResponse>",
    );
    assert.deepEqual(res.keys, [{ id: 1, title: "fine", countPurchased: 9007199254740991 }]);
    assert.deepEqual(
      res.unreadableKeys.map((k) => [k.id, k.title]),
      [[2, "huge count"], [3, "owner in exponent form"], [undefined, "odd id"], [undefined, "no id"], [undefined, "id beyond 2^53"]],
    );
    assert.match(res.unreadableKeys[0]!.reason, /<countPurchased> "9007199254740993" is beyond ±2\^53/);
    assert.match(res.unreadableKeys[1]!.reason, /<ownerId> is not an integer: "1e20"/);
    assert.match(res.unreadableKeys[3]!.reason, /without id/);
  });

  it("never quotes a long server value in part (a cut could end inside an echoed password)", async () => {
    const long = "9".repeat(60);
    const res = await parseServiceResponse(
      `<ServiceResponse><responseCode>SUCCESS</responseCode><data><AgentActKey><id>1</id><countPurchased>${long}</countPurchased></AgentActKey></data></ServiceResponse>`,
    );
    assert.ok(!res.unreadableKeys[0]!.reason.includes("999"), res.unreadableKeys[0]!.reason);
    assert.match(res.unreadableKeys[0]!.reason, /a value of 60 characters/);
  });
});

describe("xml-codec: building requests", () => {
  it("builds the seed's create request (same elements and values)", async () => {
    const built = buildKeyWriteRequest({
      title: "Owner",
      countPurchased: 0,
      type: "UNLIMITED",
      ownerId: 364812443,
      modules: ["PC_LICENSE"],
    });
    assert.deepEqual(await requestTree(built), await requestTree(curlExample("create_activation.xml")));
  });

  it("builds the seed's update request, id in the body, minus the read-only parts we never send", async () => {
    const built = buildKeyWriteRequest(
      {
        title: "Update from APIfim owner1",
        countPurchased: 1,
        expireDate: "2021-12-06T23:05:42Z",
        type: "UNLIMITED",
        ownerId: 364812443,
        isDisabled: false,
        modules: ["FIM"],
        tagIds: [103180087],
      },
      3617002,
    );
    const seed = (await requestTree(curlExample("update_activation.xml"))) as {
      ServiceRequest: { data: { AgentActKey: Record<string, unknown>[] }[] };
    };
    const key = seed.ServiceRequest.data[0]!.AgentActKey[0]!;
    // status is not writable, agents are read-only (moved with changeactkey), tag names are labels.
    delete key.status;
    delete key.agents;
    const tags = key.tags as { list: { Tag: { name?: unknown }[] }[] }[];
    delete tags[0]!.list[0]!.Tag[0]!.name;
    assert.deepEqual(await requestTree(built), seed);
  });

  it("orders elements as the XSD sequence and escapes text", () => {
    const built = buildKeyWriteRequest(
      { ownerId: 1, suspendSelfPatch: true, tagIds: [], modules: [], title: "a & <b>", type: "COUNT_LIMITED", countPurchased: 5 },
      9,
    );
    const order = [...built.matchAll(/<(\w+)[ >/]/g)].map((m) => m[1]);
    assert.deepEqual(order, [
      "ServiceRequest", "data", "AgentActKey", "id", "countPurchased", "type", "title",
      "modules", "list", "tags", "list", "suspendSelfPatch", "ownerId",
    ]);
    assert.ok(built.includes("<title>a &amp; &lt;b&gt;</title>"));
  });

  it("builds the seed's search-all request and a paged, filtered search", async () => {
    assert.deepEqual(await requestTree(buildSearchRequest()), await requestTree(curlExample("get_all_keys.xml")));
    const built = buildSearchRequest([{ field: "id", operator: "GREATER", value: "123" }], 1000);
    assert.deepEqual(await requestTree(built), {
      ServiceRequest: {
        preferences: [{ limitResults: ["1000"] }],
        filters: [{ Criteria: [{ _: "123", $: { field: "id", operator: "GREATER" } }] }],
      },
    });
  });

  it("refuses text XML cannot carry with a typed QUALYS_INVALID_INPUT naming the field, not a bare Error", () => {
    const base = { title: "web", type: "UNLIMITED" as const, modules: [], tagIds: [] };
    const cases: [string, () => string, RegExp][] = [
      ["create title", () => buildKeyWriteRequest({ ...base, title: "web\u0001" }), /^Qualys create key "web\\u0001" not sent: title holds .*U\+0001 at position 4/],
      ["update title", () => buildKeyWriteRequest({ ...base, title: "\uD800x" }, 7), /^Qualys update key "\\ud800x" not sent: title .*U\+D800 at position 1/],
      ["module", () => buildKeyWriteRequest({ ...base, modules: ["VM\u0000"] }), /modules holds .*U\+0000/],
      ["expireDate", () => buildKeyWriteRequest({ ...base, expireDate: "2030\uFFFE" }), /expireDate holds .*U\+FFFE/],
      ["search value", () => buildSearchRequest([{ field: "title", operator: "EQUALS", value: "a\u001Fb" }]), /^Qualys search not sent: the title filter holds .*U\+001F at position 2/],
    ];
    for (const [name, build, message] of cases) {
      assert.throws(build, (e: unknown) => e instanceof QualysError && e.code === "QUALYS_INVALID_INPUT" && message.test(e.message), name);
    }
    assert.ok(buildKeyWriteRequest({ ...base, title: "rocket 🚀\ttab" }).includes("<title>rocket 🚀\ttab</title>"), "other text is sent as is");
  });

  it("sends an explicit (non-self-closing) empty ServiceRequest for delete", () => {
    assert.match(EMPTY_SERVICE_REQUEST, /<ServiceRequest><\/ServiceRequest>$/);
  });
});
