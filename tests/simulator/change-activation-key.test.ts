import { strict as assert } from "node:assert";
import { startSimulator, type RunningSimulator, type SimKey, type SimulatorUser } from "../../simulator";
import { optionsFromArgs } from "../../simulator/cli";
import { basic, createBody, keysOf, onlyKey, qps, type QpsAnswer, type WireKey } from "./simulator-http";

const USERS: SimulatorUser[] = [
  { username: "admin", password: "admin-password" },
  { username: "ops", password: "ops-password", role: "manager", changeActivationKey: false },
  { username: "reader", password: "reader-password", role: "reader" },
  { username: "mover", password: "mover-password", role: "reader", changeActivationKey: true },
];

/** A Change Activation Key body as the public page shows it, with any criteria. */
function changeBody(newActivationKey: string, criteria: [field: string, operator: string, value: string][]): string {
  const filters = criteria.map(([field, operator, value]) => `<Criteria field="${field}" operator="${operator}">${value}</Criteria>`).join("");
  return `<ServiceRequest><data><ChangeActKey><newActivationKey>${newActivationKey}</newActivationKey></ChangeActKey></data>${filters ? `<filters>${filters}</filters>` : ""}</ServiceRequest>`;
}

/** The agent ids of a wire key, as the answer lists them (AgentAsset elements). */
function agentIdsOf(key: WireKey): number[] {
  const list = (key["agents"] as { list?: { AgentAsset: unknown } } | undefined)?.list?.AgentAsset;
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
  return items.map((item) => Number((item as { id: string }).id)).sort((a, b) => a - b);
}

function agentIds(key: SimKey | undefined): number[] {
  return (key?.agents ?? []).map((agent) => agent.id).sort((a, b) => a - b);
}

describe("simulator Change Activation Key (cak/ca/changeactkey)", () => {
  let sim: RunningSimulator;
  let source: SimKey;
  let target: SimKey;
  beforeEach(async () => {
    sim = await startSimulator({ users: USERS });
    source = sim.admin.attachAgents(sim.admin.insertKey({ title: "old" }).id, 5);
    target = sim.admin.insertKey({ title: "new" });
  });
  afterEach(() => sim.close());

  const change = (body: string, user = "admin"): Promise<QpsAnswer> =>
    qps(sim.url, "cak/ca/changeactkey/", body, { authorization: basic(user, `${user}-password`) });

  it("shows attached agents in get and search answers and in countUsed", async () => {
    const got = onlyKey(await qps(sim.url, `get/ca/agentactkey/${source.id}`));
    assert.equal(got["countUsed"], "5");
    assert.deepEqual(agentIdsOf(got), agentIds(source));
    const found = keysOf(await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).find((key) => key.id === String(source.id));
    assert.deepEqual(agentIdsOf(found ?? { id: "" }), agentIds(source));
  });

  it("moves every agent of a key by activationKey EQUALS, after which the old key can be deleted", async () => {
    const answer = await change(changeBody(target.activationKey, [["activationKey", "EQUALS", source.activationKey]]));
    assert.equal(answer.status, 200);
    assert.equal(answer.body?.responseCode, "SUCCESS");
    assert.deepEqual([sim.admin.getKey(source.id)?.countUsed, sim.admin.getKey(target.id)?.countUsed], [0, 5]);
    assert.deepEqual(agentIds(sim.admin.getKey(target.id)), agentIds(source));
    assert.equal(onlyKey(await qps(sim.url, `get/ca/agentactkey/${target.id}`))["countUsed"], "5");
    const deleted = await qps(sim.url, `delete/ca/agentactkey/${source.id}`, "<ServiceRequest></ServiceRequest>");
    assert.equal(deleted.body?.responseCode, "SUCCESS");
    assert.equal(sim.admin.callCounts()["changeactkey"], 1);
  });

  it("is idempotent: repeating a move changes nothing", async () => {
    const body = changeBody(target.activationKey, [["activationKey", "EQUALS", source.activationKey]]);
    await change(body);
    const before = sim.admin.listKeys();
    const again = await change(body);
    assert.equal(again.body?.responseCode, "SUCCESS");
    assert.deepEqual(sim.admin.listKeys(), before);
  });

  it("selects agents by asset id with EQUALS, IN, NOT EQUALS, GREATER and LESSER, all criteria applying", async () => {
    const [a, b, c, d, e] = agentIds(source) as [number, number, number, number, number];
    const moved = async (criteria: [string, string, string][]): Promise<number[]> => {
      const fresh = sim.admin.insertKey({ title: `t-${sim.admin.listKeys().length}` });
      const answer = await change(changeBody(fresh.activationKey, criteria));
      assert.equal(answer.body?.responseCode, "SUCCESS", answer.text);
      const ids = agentIds(sim.admin.getKey(fresh.id));
      // Put them back so that every case starts from the same five agents.
      await change(changeBody(source.activationKey, [["activationKey", "EQUALS", fresh.activationKey]]));
      return ids;
    };
    assert.deepEqual(await moved([["id", "EQUALS", String(b)]]), [b]);
    assert.deepEqual(await moved([["id", "IN", `${a},${c}, ${e}`]]), [a, c, e]);
    assert.deepEqual(await moved([["id", "NOT EQUALS", String(a)]]), [b, c, d, e]);
    assert.deepEqual(await moved([["id", "GREATER", String(c)]]), [d, e]);
    assert.deepEqual(await moved([["id", "LESSER", String(c)]]), [a, b]);
    assert.deepEqual(await moved([["id", "GREATER", String(a)], ["id", "LESSER", String(e)], ["activationKey", "EQUALS", source.activationKey]]), [b, c, d]);
  });

  it("selects agents by tagName with EQUALS, CONTAINS and NOT EQUALS", async () => {
    const tagged = sim.admin.attachAgents(sim.admin.insertKey({ title: "tagged" }).id, 2, { tags: ["Prod-EU", "Linux"] });
    assert.throws(() => sim.admin.attachAgents(tagged.id, 1, { tags: Array.from({ length: 21 }, (_, index) => `t${index}`) }), /at most 20 tag names/);
    assert.throws(() => sim.admin.attachAgents(tagged.id, 1, { tags: [""] }), /tags\[0\] must be a tag name/);
    const taggedIds = agentIds(tagged);
    const check = async (operator: string, value: string, expected: number[]): Promise<void> => {
      const fresh = sim.admin.insertKey({ title: `t-${operator}-${value}` });
      assert.equal((await change(changeBody(fresh.activationKey, [["tagName", operator, value]]))).body?.responseCode, "SUCCESS");
      assert.deepEqual(agentIds(sim.admin.getKey(fresh.id)), expected, `${operator} ${value}`);
    };
    await check("EQUALS", "Prod", []);
    await check("EQUALS", "Linux", taggedIds);
    // Moved onto the key above; a NOT EQUALS on the same name now leaves them and takes the rest.
    await check("CONTAINS", "prod", taggedIds);
    const untagged = sim.admin.listKeys().filter((key) => key.agents.every((agent) => !agent.tags?.includes("Linux")));
    await check("NOT EQUALS", "Linux", untagged.flatMap((key) => agentIds(key)).sort((x, y) => x - y));
  });

  it("requires at least one filter, and refuses undocumented fields and operators without moving anything", async () => {
    const before = sim.admin.listKeys();
    const none = await change(changeBody(target.activationKey, []));
    assert.equal(none.body?.responseCode, "INVALID_REQUEST");
    assert.match(none.body?.responseErrorDetails?.errorMessage ?? "", /At least one filter is required/);
    for (const [field, operator] of [["activationKey", "CONTAINS"], ["tagName", "IN"], ["title", "EQUALS"], ["id", "CONTAINS"]] as const) {
      const refused = await change(changeBody(target.activationKey, [[field, operator, "1"]]));
      assert.equal(refused.body?.responseCode, "INVALID_REQUEST", `${field} ${operator}`);
    }
    const noTarget = await change(`<ServiceRequest><filters><Criteria field="id" operator="EQUALS">1</Criteria></filters></ServiceRequest>`);
    assert.match(noTarget.body?.responseErrorDetails?.errorMessage ?? "", /newActivationKey/);
    assert.deepEqual(sim.admin.listKeys(), before);
  });

  it("refuses an unknown or disabled target key, naming neither key's secret value", async () => {
    const before = sim.admin.listKeys();
    const unknown = await change(changeBody("00000000-0000-0000-0000-000000000000", [["activationKey", "EQUALS", source.activationKey]]));
    assert.equal(unknown.body?.responseCode, "INVALID_REQUEST");
    sim.admin.patchKey(target.id, { isDisabled: true });
    const disabled = await change(changeBody(target.activationKey, [["activationKey", "EQUALS", source.activationKey]]));
    assert.equal(disabled.body?.responseCode, "INVALID_REQUEST");
    assert.match(disabled.body?.responseErrorDetails?.errorMessage ?? "", new RegExp(`${target.id} is disabled`));
    for (const answer of [unknown, disabled]) assert.ok(!answer.text.includes(source.activationKey) && !answer.text.includes(target.activationKey));
    assert.deepEqual(sim.admin.listKeys().map(agentIds), before.map(agentIds));
  });

  it("needs the Change Activation Key permission: INSUFFICIENT_PERMISSION without it, only visible keys with it", async () => {
    const body = changeBody(target.activationKey, [["activationKey", "EQUALS", source.activationKey]]);
    for (const user of ["ops", "reader"]) {
      const refused = await change(body, user);
      assert.equal(refused.status, 200);
      assert.equal(refused.body?.responseCode, "INSUFFICIENT_PERMISSION", user);
    }
    assert.equal(sim.admin.getKey(source.id)?.countUsed, 5);
    // A reader with the permission sees neither key (they were not created by it, nor scoped to it).
    const unseen = await change(body, "mover");
    assert.equal(unseen.body?.responseCode, "INVALID_REQUEST");
    const own = onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("mover-own"), { authorization: basic("mover", "mover-password") }));
    const moved = await change(changeBody(String(own["activationKey"]), [["id", "GREATER", "0"]]), "mover");
    assert.equal(moved.body?.responseCode, "SUCCESS");
    assert.equal(sim.admin.getKey(source.id)?.countUsed, 5, "agents of a key outside the reader's scope stay put");
  });

  it("accepts a JSON body, and is counted and limited like every QPS call", async () => {
    await sim.admin.setLimits({ rateLimit: { limit: 1, windowSec: 3600 } });
    const json = JSON.stringify({
      ServiceRequest: {
        data: { ChangeActKey: { newActivationKey: target.activationKey } },
        filters: { Criteria: [{ field: "activationKey", operator: "EQUALS", value: source.activationKey }] },
      },
    });
    const accepted = await qps(sim.url, "cak/ca/changeactkey/", json, { headers: { "Content-Type": "application/json", Accept: "application/json" } });
    assert.equal((JSON.parse(accepted.text) as { ServiceResponse: { responseCode: string } }).ServiceResponse.responseCode, "SUCCESS");
    assert.equal(accepted.headers.get("x-ratelimit-remaining"), "0");
    assert.equal(sim.admin.getKey(target.id)?.countUsed, 5);
    const blocked = await change(changeBody(source.activationKey, [["activationKey", "EQUALS", target.activationKey]]));
    assert.equal(blocked.status, 409);
    assert.equal(sim.admin.getKey(target.id)?.countUsed, 5);
    assert.deepEqual([sim.admin.callCounts()["changeactkey"], sim.admin.callCounts()["blocked"]], [1, 1]);
  });

  it("takes injected faults aimed at changeactkey alone; reset-after commits the move", async () => {
    sim.admin.injectFaults([{ operation: "changeactkey", kind: "rate-409", toWaitSec: 5 }]);
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 200);
    const body = changeBody(target.activationKey, [["activationKey", "EQUALS", source.activationKey]]);
    const blocked = await change(body);
    assert.equal(blocked.status, 409);
    assert.equal(sim.admin.getKey(source.id)?.countUsed, 5);
    assert.equal(sim.admin.callCounts()["blocked"], 1);
    sim.admin.injectFaults([{ operation: "changeactkey", kind: "reset-after" }]);
    await assert.rejects(change(body));
    assert.deepEqual([sim.admin.getKey(source.id)?.countUsed, sim.admin.getKey(target.id)?.countUsed], [0, 5]);
  });

  it("is offered by the CLI: --user name:password:reader:change-key and :manager:no-change-key", () => {
    const { users } = optionsFromArgs(["--user", "a:pw:reader:change-key", "--user", "b:pw:manager:no-change-key", "--user", "c:pw"]);
    assert.deepEqual(users, [
      { username: "a", password: "pw", role: "reader", changeActivationKey: true },
      { username: "b", password: "pw", role: "manager", changeActivationKey: false },
      { username: "c", password: "pw", role: "manager" },
    ]);
    assert.throws(() => optionsFromArgs(["--user", "a:secret-pw:reader:change-keys"]), (error: Error) => /--user must look like/.test(error.message) && !error.message.includes("secret-pw"));
  });
});
