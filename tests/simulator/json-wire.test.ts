/**
 * JSON on the QPS endpoints (docs/qualys-api.md, "JSON answers, as Qualys' own tooling uses
 * them"): answers in JSON for
 * `Accept: application/json`, XML otherwise; JSON request bodies with the loose shapes public
 * clients send, and nonsense refused with the INVALID_REQUEST the XML path gives.
 */
import { strict as assert } from "node:assert";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { ADMIN_BASIC, createBody, qps } from "./simulator-http";

interface JsonAnswer {
  status: number;
  headers: Headers;
  json: { ServiceResponse: Record<string, unknown> };
}

/** Calls `path` under /qps/rest/1.0/ asking for JSON; `body` goes as JSON, `rawBody` as is, both as application/json. */
async function callJson(sim: RunningSimulator, path: string, body?: unknown, options: { authorization?: string; rawBody?: string } = {}): Promise<JsonAnswer> {
  const headers: Record<string, string> = { "X-Requested-With": "tests", Accept: "application/json", Authorization: options.authorization ?? ADMIN_BASIC };
  let payload: string | undefined = options.rawBody;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  } else if (payload !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${sim.url}/qps/rest/1.0/${path}`, { method: payload === undefined ? "GET" : "POST", headers, body: payload });
  const text = await response.text();
  assert.equal(response.headers.get("content-type"), "application/json;charset=UTF-8", text);
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as JsonAnswer["json"] };
}

const service = (answer: JsonAnswer): Record<string, unknown> => answer.json.ServiceResponse;

describe("simulator JSON", () => {
  let sim: RunningSimulator;
  const now = Date.parse("2026-04-01T08:00:00.000Z");
  beforeEach(async () => {
    sim = await startSimulator({ now: () => now, licenses: ["VM_LICENSE", "PC_LICENSE"], tags: [{ id: 700, name: "Prod" }] });
  });
  afterEach(() => sim.close());

  it("answers get, search, create and delete in JSON with hasMoreRecords a string and data a list of {AgentActKey}", async () => {
    const key = sim.admin.insertKey({ title: "json", type: "COUNT_LIMITED", countPurchased: 4, modules: ["VM_LICENSE"], tags: [{ id: 700, name: "Prod" }], ownerId: 42 });
    const got = await callJson(sim, `get/ca/agentactkey/${key.id}`);
    assert.deepEqual(got.json, {
      ServiceResponse: {
        responseCode: "SUCCESS",
        count: 1,
        data: [
          {
            AgentActKey: {
              id: key.id, activationKey: key.activationKey, status: "ACTIVE", countPurchased: 4, countUsed: 0,
              datePurchased: "2026-04-01T08:00:00Z", type: "COUNT_LIMITED", title: "json", networkId: 0,
              isDisabled: false, applyOnAgents: false,
              modules: { list: [{ ActivationKeyModule: { license: "VM_LICENSE" } }] },
              tags: { list: [{ Tag: { id: 700, name: "Prod" } }] },
              suspendSelfPatch: false, ownerId: 42,
            },
          },
        ],
      },
    });
    sim.admin.insertKey({ title: "bare" });
    const page = await callJson(sim, "search/ca/agentactkey/", undefined, { rawBody: '{"ServiceRequest": {"preferences": {"limitResults": "1"}}}' });
    assert.equal(service(page)["hasMoreRecords"], "true");
    assert.equal(service(page)["lastId"], key.id);
    const last = await callJson(sim, "search/ca/agentactkey/", { ServiceRequest: { preferences: { limitResults: 1, startFromOffset: 2 } } });
    const bare = (service(last)["data"] as { AgentActKey: Record<string, unknown> }[])[0]?.AgentActKey;
    assert.equal(service(last)["hasMoreRecords"], "false");
    // A key without modules or tags still lists both, empty: Qualys' own script reads them unconditionally.
    assert.deepEqual([bare?.["title"], bare?.["modules"], bare?.["tags"], bare?.["agents"]], ["bare", { list: [] }, { list: [] }, undefined]);
    const none = await callJson(sim, "search/ca/agentactkey/", { ServiceRequest: { filters: { Criteria: { field: "id", operator: "EQUALS", value: 1 } } } });
    assert.deepEqual(none.json, { ServiceResponse: { responseCode: "SUCCESS", count: 0, hasMoreRecords: "false", data: [] } });
    const deleted = await callJson(sim, `delete/ca/agentactkey/${key.id}`, { ServiceRequest: {} });
    assert.deepEqual(deleted.json, { ServiceResponse: { responseCode: "SUCCESS", count: 1, data: [{ AgentActKey: { id: key.id } }] } });
  });

  it("answers errors in JSON: a QPS error, bad credentials (401), a limit block (409); XML when JSON is not asked for first", async () => {
    const missing = await callJson(sim, "get/ca/agentactkey/1");
    assert.equal(missing.status, 200);
    assert.equal(service(missing)["responseCode"], "OBJECT_NOT_FOUND");
    assert.match(String((service(missing)["responseErrorDetails"] as { errorMessage: string }).errorMessage), /id 1 does not exist/);
    const refused = await callJson(sim, "get/ca/agentactkey/1", undefined, { authorization: `Basic ${Buffer.from("admin:not-it").toString("base64")}` });
    assert.equal(refused.status, 401);
    assert.equal(service(refused)["responseCode"], "INVALID_CREDENTIALS");
    sim.admin.injectFaults([{ kind: "rate-409", toWaitSec: 5 }]);
    const blocked = await callJson(sim, "get/ca/agentactkey/1");
    assert.equal(blocked.status, 409);
    assert.equal(service(blocked)["responseCode"], "LIMIT_EXCEEDED");
    assert.equal(blocked.headers.get("x-ratelimit-towait-sec"), "5");
    // XML stays the default: no Accept, */*, and XML preferred over JSON.
    for (const accept of [undefined, "*/*", "application/xml, application/json;q=0.5", "application/json;q=0, text/xml"]) {
      const answer = await qps(sim.url, "get/ca/agentactkey/1", undefined, { headers: accept === undefined ? {} : { Accept: accept } });
      assert.equal(answer.headers.get("content-type"), "application/xml;charset=UTF-8", String(accept));
      assert.equal(answer.body?.responseCode, "OBJECT_NOT_FOUND");
    }
  });

  it("creates, updates and searches from JSON bodies: numbers as strings, a one-element list as an object, tags by name", async () => {
    const created = await callJson(sim, "create/ca/agentactkey/", {
      ServiceRequest: {
        data: {
          AgentActKey: {
            title: "from json", type: "COUNT_LIMITED", countPurchased: "3", isDisabled: "false",
            modules: { list: { ActivationKeyModule: { license: "VM_LICENSE" } } },
            tags: { list: { Tag: { name: "Prod" } } },
          },
        },
      },
    });
    assert.equal(service(created)["responseCode"], "SUCCESS", JSON.stringify(created.json));
    const id = (service(created)["data"] as { AgentActKey: { id: number } }[])[0]?.AgentActKey.id ?? 0;
    assert.deepEqual(
      (({ countPurchased, modules, tags }) => ({ countPurchased, modules, tags }))(sim.admin.getKey(id) ?? { countPurchased: -1, modules: [], tags: [] }),
      { countPurchased: 3, modules: ["VM_LICENSE"], tags: [{ id: 700, name: "Prod" }] },
    );
    const updated = await callJson(sim, `update/ca/agentactkey/${id}`, {
      ServiceRequest: {
        data: {
          AgentActKey: {
            type: "COUNT_LIMITED", countPurchased: 9,
            modules: { list: [{ ActivationKeyModule: { license: "VM_LICENSE" } }, { ActivationKeyModule: { license: "PC_LICENSE" } }] },
          },
        },
      },
    });
    assert.equal(service(updated)["responseCode"], "SUCCESS", JSON.stringify(updated.json));
    assert.deepEqual([sim.admin.getKey(id)?.countPurchased, sim.admin.getKey(id)?.modules], [9, ["VM_LICENSE", "PC_LICENSE"]]);
    await qps(sim.url, "create/ca/agentactkey/", createBody("other"));
    const found = await callJson(sim, "search/ca/agentactkey/", {
      ServiceRequest: { filters: { Criteria: [{ field: "countPurchased", operator: "GREATER", value: "5" }, { field: "id", operator: "IN", value: `${id},1` }] } },
    });
    assert.deepEqual((service(found)["data"] as { AgentActKey: { id: number } }[]).map((entry) => entry.AgentActKey.id), [id]);
  });

  it("refuses nonsense in a JSON body with INVALID_REQUEST and writes nothing", async () => {
    const key = (fields: Record<string, unknown>): unknown => ({ ServiceRequest: { data: { AgentActKey: { title: "bad", type: "COUNT_LIMITED", countPurchased: 1, ...fields } } } });
    const cases: [string, { body?: unknown; rawBody?: string }, RegExp][] = [
      ["not JSON", { rawBody: "<ServiceRequest/>" }, /not well-formed JSON/],
      ["no ServiceRequest root", { body: { data: {} } }, /ServiceRequest root/],
      ["a list as the root", { body: { ServiceRequest: [] } }, /ServiceRequest root/],
      ["a number in words", { body: key({ countPurchased: "three" }) }, /countPurchased must be an integer/],
      ["a fraction", { body: key({ countPurchased: 2.5 }) }, /countPurchased must be an integer/],
      ["an object for a number", { body: key({ countPurchased: { value: 3 } }) }, /countPurchased must hold a value/],
      ["a boolean in words", { body: key({ isDisabled: "no" }) }, /isDisabled must be true or false/],
      ["a field twice", { body: key({ title: ["a", "b"] }) }, /title appears 2 times/],
      ["a list of lists", { body: key({ modules: { list: [[{ ActivationKeyModule: { license: "VM_LICENSE" } }]] } }) }, /list inside a list/],
      ["text for a list", { body: key({ modules: { list: "VM_LICENSE" } }) }, /list may only hold ActivationKeyModule/],
      ["a tag with neither id nor name", { body: key({ tags: { list: { Tag: {} } } }) }, /Tag needs an id or a name/],
      ["an object as a criterion value", { body: { ServiceRequest: { filters: { Criteria: { field: "id", operator: "EQUALS", value: { id: 1 } } } } } }, /Criteria value must be a string or a number/],
    ];
    for (const [name, { body, rawBody }, message] of cases) {
      const path = name.includes("criterion") ? "search/ca/agentactkey/" : "create/ca/agentactkey/";
      const answer = await callJson(sim, path, body, { rawBody });
      assert.equal(answer.status, 200, name);
      assert.equal(service(answer)["responseCode"], "INVALID_REQUEST", name);
      assert.match(String((service(answer)["responseErrorDetails"] as { errorMessage: string }).errorMessage), message, name);
    }
    assert.deepEqual(sim.admin.listKeys(), []);
  });
});
