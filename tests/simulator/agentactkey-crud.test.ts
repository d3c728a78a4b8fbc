import { strict as assert } from "node:assert";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { curlExample } from "../support/fixtures";
import { createBody, elementOrder, keysOf, modulesOf, onlyKey, qps, tagsOf } from "./simulator-http";

/**
 * The Cloud Agent API guide's sample request bodies, as examples/curl ships them for the README's
 * curl lines.
 */
const CREATE_ACTIVATION_XML = curlExample("create_activation.xml");
const UPDATE_ACTIVATION_XML = curlExample("update_activation.xml");
const GET_ALL_KEYS_XML = curlExample("get_all_keys.xml");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEED_KEY_ORDER = [
  "id", "activationKey", "status", "countPurchased", "countUsed", "datePurchased", "type", "title",
  "networkId", "isDisabled", "applyOnAgents", "modules", "suspendSelfPatch", "ownerId",
];

describe("simulator agentactkey create/get/update/delete", () => {
  let sim: RunningSimulator;
  const now = Date.parse("2026-03-01T10:20:30.456Z");
  beforeEach(async () => {
    sim = await startSimulator({ now: () => now, licenses: ["VM_LICENSE", "PC_LICENSE", "FIM"] });
  });
  afterEach(() => sim.close());

  it("answers the seed's create_activation.xml like the seed's output", async () => {
    const answer = await qps(sim.url, "create/ca/agentactkey/", CREATE_ACTIVATION_XML);
    assert.equal(answer.status, 200);
    assert.match(answer.text, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
    assert.match(answer.text, /xsi:noNamespaceSchemaLocation="http:\/\/qualysapi.qualys.com\/portal-api\/xsd\/1.0\/ca\/agentactkey.xsd"/);
    assert.equal(answer.body?.responseCode, "SUCCESS");
    assert.equal(answer.body?.count, "1");
    const key = onlyKey(answer);
    assert.equal(key.id, "3617002");
    assert.match(String(key["activationKey"]), UUID);
    assert.deepEqual(
      { ...key, activationKey: "x" },
      {
        id: "3617002", activationKey: "x", status: "ACTIVE", countPurchased: "0", countUsed: "0",
        datePurchased: "2026-03-01T10:20:30Z", type: "UNLIMITED", title: "Owner", networkId: "0",
        isDisabled: "false", applyOnAgents: "false",
        modules: { list: { ActivationKeyModule: { license: "PC_LICENSE" } } },
        suspendSelfPatch: "false", ownerId: "364812443",
      },
    );
    assert.deepEqual(elementOrder(answer.text), SEED_KEY_ORDER);
  });

  it("answers the seed's update_activation.xml like the seed's output, and get shows modules and tags", async () => {
    const created = onlyKey(await qps(sim.url, "create/ca/agentactkey/", CREATE_ACTIVATION_XML));
    const answer = await qps(sim.url, "update/ca/agentactkey/", UPDATE_ACTIVATION_XML);
    assert.equal(answer.body?.responseCode, "SUCCESS", answer.text);
    const updated = onlyKey(answer);
    // As in the Cloud Agent API guide's update sample: UNLIMITED drops countPurchased/expireDate,
    // and the response omits modules.
    assert.deepEqual(elementOrder(answer.text), SEED_KEY_ORDER.filter((name) => name !== "modules"));
    assert.equal(updated.title, "Update from APIfim owner1");
    assert.equal(updated["countPurchased"], "0");
    assert.equal(updated["activationKey"], created["activationKey"]);
    const fetched = onlyKey(await qps(sim.url, "get/ca/agentactkey/3617002"));
    assert.deepEqual(modulesOf(fetched), ["FIM"]);
    assert.deepEqual(tagsOf(fetched), [{ id: "103180087", name: "Tag2" }]);
    assert.equal(fetched["expireDate"], undefined);
  });

  it("answers the seed's get_all_keys.xml with every key, hasMoreRecords false and no lastId", async () => {
    await qps(sim.url, "create/ca/agentactkey/", CREATE_ACTIVATION_XML);
    await qps(sim.url, "create/ca/agentactkey/", createBody("Second"));
    const answer = await qps(sim.url, "search/ca/agentactkey/", GET_ALL_KEYS_XML);
    assert.equal(answer.body?.responseCode, "SUCCESS");
    assert.equal(answer.body?.count, "2");
    assert.equal(answer.body?.hasMoreRecords, "false");
    assert.equal(answer.body?.lastId, undefined);
    assert.deepEqual(keysOf(answer).map((key) => key.title), ["Owner", "Second"]);
  });

  it("hands out increasing ids and distinct UUID activation keys, with or without the trailing slash", async () => {
    const first = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("a")));
    const second = onlyKey(await qps(sim.url, "create/ca/agentactkey", createBody("b")));
    assert.ok(Number(second.id) > Number(first.id));
    assert.notEqual(first["activationKey"], second["activationKey"]);
    assert.equal(onlyKey(await qps(sim.url, `get/ca/agentactkey/${second.id}/`)).title, "b");
  });

  it("requires type on create and checks the limits each type needs", async () => {
    const cases: [string, RegExp][] = [
      ["<countPurchased>3</countPurchased>", /type is mandatory/],
      ["<type>FOREVER</type>", /invalid value "FOREVER"/],
      ["<type>COUNT_LIMITED</type><countPurchased>0</countPurchased>", /countPurchased of at least 1/],
      ["<type>TIME_LIMITED</type>", /needs an expireDate/],
      ["<type>TIME_LIMITED</type><expireDate>next week</expireDate>", /expireDate has an invalid value/],
    ];
    for (const [extra, message] of cases) {
      const answer = await qps(sim.url, "create/ca/agentactkey/", createBody("t", extra));
      assert.equal(answer.status, 200);
      assert.equal(answer.body?.responseCode, "INVALID_REQUEST", extra);
      assert.match(answer.body?.responseErrorDetails?.errorMessage ?? "", message);
    }
    assert.deepEqual(sim.admin.listKeys(), []);
  });

  it("stores a date-only expireDate as a UTC date-time and keeps countPurchased for COUNT_TIME_LIMITED", async () => {
    const answer = await qps(sim.url, "create/ca/agentactkey/", createBody("t", "<type>COUNT_TIME_LIMITED</type><countPurchased>5</countPurchased><expireDate>2027-01-31</expireDate>"));
    const key = onlyKey(answer);
    assert.equal(key["expireDate"], "2027-01-31T00:00:00Z");
    assert.equal(key["countPurchased"], "5");
    // The XSD places expireDate between type and title.
    const order = elementOrder(answer.text);
    assert.equal(order.indexOf("expireDate"), order.indexOf("type") + 1);
  });

  it("refuses a duplicate title on create and on update with CA_1001_DUPLICATE_KEY", async () => {
    await qps(sim.url, "create/ca/agentactkey/", createBody("taken"));
    const other = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("other")));
    const duplicate = await qps(sim.url, "create/ca/agentactkey/", createBody("taken"));
    assert.equal(duplicate.body?.responseCode, "CA_1001_DUPLICATE_KEY");
    assert.equal(duplicate.body?.responseErrorDetails?.errorMessage, "Activation key already exists with title taken");
    const renamed = await qps(sim.url, `update/ca/agentactkey/${other.id}`, createBody("taken"));
    assert.equal(renamed.body?.responseCode, "CA_1001_DUPLICATE_KEY");
    const same = await qps(sim.url, `update/ca/agentactkey/${other.id}`, createBody("other"));
    assert.equal(same.body?.responseCode, "SUCCESS");
  });

  it("silently drops modules the subscription is not licensed for", async () => {
    const modules = ["VM_LICENSE", "EDR", "PC_LICENSE"].map((license) => `<ActivationKeyModule><license>${license}</license></ActivationKeyModule>`).join("");
    const key = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("m", `<type>UNLIMITED</type><modules><list>${modules}</list></modules>`)));
    assert.deepEqual(modulesOf(key), ["VM_LICENSE", "PC_LICENSE"]);
  });

  it("updates collections with list, set, add and remove, and names tags sent by id only", async () => {
    const id = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("c", "<type>UNLIMITED</type><tags><set><Tag><id>7</id></Tag></set></tags>"))).id;
    assert.deepEqual(tagsOf(onlyKey(await qps(sim.url, `get/ca/agentactkey/${id}`))), [{ id: "7", name: "Tag7" }]);
    const module = (license: string): string => `<ActivationKeyModule><license>${license}</license></ActivationKeyModule>`;
    await qps(sim.url, `update/ca/agentactkey/${id}`, createBody("c", `<type>UNLIMITED</type><modules><set>${module("VM_LICENSE")}${module("FIM")}</set></modules>`));
    await qps(sim.url, `update/ca/agentactkey/${id}`, createBody("c", `<type>UNLIMITED</type><modules><add>${module("PC_LICENSE")}</add><remove>${module("VM_LICENSE")}</remove></modules><tags><add><Tag><id>8</id><name>eight</name></Tag></add><remove><Tag><id>7</id></Tag></remove></tags>`));
    const key = onlyKey(await qps(sim.url, `get/ca/agentactkey/${id}`));
    assert.deepEqual(modulesOf(key), ["FIM", "PC_LICENSE"]);
    assert.deepEqual(tagsOf(key), [{ id: "8", name: "eight" }]);
  });

  it("takes the update id from the path or the body, and refuses both when they differ", async () => {
    const a = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("a"))).id;
    const b = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("b"))).id;
    const inBody = `<ServiceRequest><data><AgentActKey><id>${a}</id><title>a2</title><type>UNLIMITED</type></AgentActKey></data></ServiceRequest>`;
    assert.equal(onlyKey(await qps(sim.url, "update/ca/agentactkey/", inBody)).title, "a2");
    assert.equal(onlyKey(await qps(sim.url, `update/ca/agentactkey/${a}`, inBody)).title, "a2");
    const conflict = await qps(sim.url, `update/ca/agentactkey/${b}`, inBody);
    assert.equal(conflict.body?.responseCode, "INVALID_REQUEST");
    assert.match(conflict.body?.responseErrorDetails?.errorMessage ?? "", /differs/);
    const none = await qps(sim.url, "update/ca/agentactkey/", createBody("x"));
    assert.equal(none.body?.responseCode, "INVALID_REQUEST");
    assert.equal(sim.admin.getKey(Number(b))?.title, "b");
  });

  it("never stores applyOnAgents, an action flag", async () => {
    const key = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("f", "<type>UNLIMITED</type><applyOnAgents>true</applyOnAgents>")));
    assert.equal(key["applyOnAgents"], "false");
    assert.equal(sim.admin.getKey(Number(key.id))?.applyOnAgents, false);
  });

  it("answers OBJECT_NOT_FOUND (HTTP 200) for get, update and delete of an unknown id", async () => {
    for (const [path, body] of [["get/ca/agentactkey/42", undefined], ["update/ca/agentactkey/42", createBody("x")], ["delete/ca/agentactkey/42", "<ServiceRequest></ServiceRequest>"]] as const) {
      const answer = await qps(sim.url, path, body);
      assert.equal(answer.status, 200);
      assert.equal(answer.body?.responseCode, "OBJECT_NOT_FOUND", path);
    }
  });

  it("refuses to delete a key while agents are registered, and deletes it once they are gone", async () => {
    const id = Number(onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("d"))).id);
    sim.admin.attachAgents(id, 2);
    const refused = await qps(sim.url, `delete/ca/agentactkey/${id}`, "<ServiceRequest></ServiceRequest>");
    assert.equal(refused.body?.responseCode, "INVALID_REQUEST");
    assert.match(refused.body?.responseErrorDetails?.errorMessage ?? "", /2 agent\(s\) are registered/);
    const withAgents = onlyKey(await qps(sim.url, `get/ca/agentactkey/${id}`));
    assert.equal(withAgents["countUsed"], "2");
    sim.admin.detachAgents(id);
    const deleted = await qps(sim.url, `delete/ca/agentactkey/${id}`, "<ServiceRequest></ServiceRequest>");
    assert.equal(deleted.body?.responseCode, "SUCCESS");
    assert.equal(onlyKey(deleted).id, String(id));
    assert.equal((await qps(sim.url, `get/ca/agentactkey/${id}`)).body?.responseCode, "OBJECT_NOT_FOUND");
  });

  it("answers HTTP 415 to a POST without a body and INVALID_REQUEST to a body that is not XML", async () => {
    const empty = await qps(sim.url, "search/ca/agentactkey/", "");
    assert.equal(empty.status, 415);
    const garbage = await qps(sim.url, "create/ca/agentactkey/", "title=x");
    assert.equal(garbage.body?.responseCode, "INVALID_REQUEST");
    assert.equal((await qps(sim.url, "frobnicate/ca/agentactkey/", "<ServiceRequest/>")).status, 404);
  });
});
