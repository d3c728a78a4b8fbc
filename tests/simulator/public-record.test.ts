/**
 * The simulator against what the public record shows of the real API (docs/qualys-api.md,
 * "Confirmed answers", "Blocked answers: 409 and 429" and "JSON answers, as Qualys' own tooling
 * uses them"): the real error texts, X-Powered-By,
 * the delete answer, both schema locations, tags named by name, the meaning of
 * X-Concurrency-Limit-Running, and the classic 409 body that carries the wait.
 */
import { strict as assert } from "node:assert";
import { parseStringPromise } from "xml2js";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { basic, createBody, onlyKey, qps, tagsOf, until } from "./simulator-http";

describe("simulator and the public record", () => {
  let sim: RunningSimulator;
  afterEach(() => sim.close());

  it("answers a duplicate title and a user without API access with Qualys' own texts", async () => {
    sim = await startSimulator({ users: [{ username: "admin", password: "admin-password" }, { username: "no-api", password: "no-api-password", apiAccess: false }] });
    await qps(sim.url, "create/ca/agentactkey/", createBody("Owner"));
    const duplicate = await qps(sim.url, "create/ca/agentactkey/", createBody("Owner"));
    assert.deepEqual([duplicate.status, duplicate.body?.responseCode, duplicate.body?.responseErrorDetails], [
      200,
      "CA_1001_DUPLICATE_KEY",
      { errorMessage: "Activation key already exists with title Owner", errorResolution: "Activation key already exists. Try another activation key." },
    ]);
    const unauthorized = await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>", { authorization: basic("no-api", "no-api-password") });
    assert.deepEqual([unauthorized.status, unauthorized.body?.responseCode, unauthorized.body?.responseErrorDetails], [
      200,
      "UNAUTHORIZED",
      { errorMessage: "You are not authorized to access the application through the API.", errorResolution: "If you think this is an error, please contact your account manager." },
    ]);
    assert.equal(sim.admin.listKeys().length, 1);
  });

  it("sends X-Powered-By: Qualys:<pod>:... on every QPS answer, success, error, 401 and block alike", async () => {
    sim = await startSimulator();
    sim.admin.injectFaults([{ kind: "rate-409", operation: "get" }]);
    const answers = [
      await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>"),
      await qps(sim.url, "get/ca/agentactkey/1"),
      await qps(sim.url, "get/ca/agentactkey/1"),
      await qps(sim.url, "get/ca/agentactkey/1", undefined, { authorization: null }),
    ];
    assert.deepEqual(answers.map((answer) => answer.status), [200, 409, 200, 401]);
    for (const answer of answers) assert.match(answer.headers.get("x-powered-by") ?? "", /^Qualys:[A-Z0-9]+:[0-9a-f-]{36}:[0-9a-f-]{36}$/);
  });

  it("answers a delete with data AgentActKey{id} only, under either schema location", async () => {
    for (const [schemaLocation, xsd] of [["portal-api", "http://qualysapi.qualys.com/portal-api/xsd/1.0/ca/agentactkey.xsd"], ["qps", "http://qualysapi.qualys.com/qps/xsd/1.0/ca/agentactkey.xsd"]] as const) {
      sim = await startSimulator({ schemaLocation });
      const id = sim.admin.insertKey({ title: "gone" }).id;
      const deleted = await qps(sim.url, `delete/ca/agentactkey/${id}`, "<ServiceRequest></ServiceRequest>");
      assert.equal((await parseStringPromise(deleted.text, { explicitArray: false })).ServiceResponse.$["xsi:noNamespaceSchemaLocation"], xsd);
      assert.deepEqual([deleted.body?.responseCode, deleted.body?.count, deleted.body?.data], ["SUCCESS", "1", { AgentActKey: { id: String(id) } }]);
      await sim.close();
    }
    sim = await startSimulator();
  });

  it("resolves tags named without an id to the subscription's static tags, refusing unknown and ambiguous names", async () => {
    sim = await startSimulator({ tags: [{ id: 501, name: "Prod" }, { id: 502, name: "Dup" }, { id: 503, name: "Dup" }] });
    const tags = (...items: string[]): string => `<type>UNLIMITED</type><tags><list>${items.join("")}</list></tags>`;
    const created = await qps(sim.url, "create/ca/agentactkey/", createBody("named", tags("<Tag><name>Prod</name></Tag>", "<Tag><id>77</id><name>ById</name></Tag>")));
    assert.deepEqual(tagsOf(onlyKey(created)), [{ id: "501", name: "Prod" }, { id: "77", name: "ById" }]);
    // A tag already on a key counts as a static tag of the subscription.
    const reused = await qps(sim.url, "create/ca/agentactkey/", createBody("reused", tags("<Tag><name>ById</name></Tag>")));
    assert.deepEqual(tagsOf(onlyKey(reused)), [{ id: "77", name: "ById" }]);
    for (const [name, message] of [["Nope", /Tag with name Nope does not exist/], ["Dup", /Tag name Dup is ambiguous: tags 502, 503/]] as const) {
      const refused = await qps(sim.url, "create/ca/agentactkey/", createBody(`bad-${name}`, tags(`<Tag><name>${name}</name></Tag>`)));
      assert.equal(refused.body?.responseCode, "INVALID_REQUEST");
      assert.match(refused.body?.responseErrorDetails?.errorMessage ?? "", message);
    }
    assert.deepEqual(sim.admin.listKeys().map((key) => key.title), ["named", "reused"]);
  });

  it("counts in X-Concurrency-Limit-Running only the calls besides the one answered", async () => {
    sim = await startSimulator({ concurrencyLimit: 2 });
    const running = async (): Promise<string | null> => (await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).headers.get("x-concurrency-limit-running");
    assert.deepEqual([await running(), await running()], ["0", "0"]);
    sim.admin.injectFaults([{ kind: "slow", delayMs: 200, operation: "search" }]);
    const slow = running();
    await until(() => sim.admin.maxInFlight() === 1);
    assert.equal(await running(), "1", "the slow call runs beside this one");
    assert.equal(await slow, "0");
  });

  it("can carry a block's wait only in a classic <SIMPLE_RETURN> body, as a fault or for every block", async () => {
    let clock = Date.parse("2026-05-01T12:00:00Z");
    sim = await startSimulator({ now: () => clock, rateLimit: { limit: 1, windowSec: 3600 }, concurrencyLimit: 1, sendToWait: false });
    sim.admin.injectFaults([{ kind: "rate-409-classic", toWaitSec: 68928 }]);
    const faulted = await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>");
    const classic = async (answer: { text: string }): Promise<unknown> => (await parseStringPromise(answer.text, { explicitArray: false })).SIMPLE_RETURN.RESPONSE;
    assert.equal(faulted.status, 409);
    assert.equal(faulted.headers.get("x-ratelimit-towait-sec"), null);
    assert.deepEqual(await classic(faulted), {
      DATETIME: "2026-05-01T12:00:00Z",
      CODE: "1965",
      // The leading space is the public record's sample's.
      TEXT: " This API cannot be run again for another 19 hours, 8 minutes and 48 seconds.",
      ITEM_LIST: { ITEM: { KEY: "SECONDS_TO_WAIT", VALUE: "68928" } },
    });
    sim.admin.setLimits({ blockedBody: "classic" });
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 200);
    clock += 600_000;
    const limited = await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>");
    assert.equal(limited.headers.get("x-ratelimit-towait-sec"), null);
    assert.deepEqual((await classic(limited)) as { ITEM_LIST: unknown }, {
      DATETIME: "2026-05-01T12:10:00Z",
      CODE: "1965",
      TEXT: " This API cannot be run again for another 0 hours, 50 minutes and 0 seconds.",
      ITEM_LIST: { ITEM: { KEY: "SECONDS_TO_WAIT", VALUE: "3000" } },
    });
  });
});
