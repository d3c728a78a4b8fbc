import { strict as assert } from "node:assert";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { createBody, onlyKey, qps, until } from "./simulator-http";

describe("simulator fault injection", () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(() => sim.close());

  const create = (title: string) => qps(sim.url, "create/ca/agentactkey/", createBody(title));

  it("refuses with rate-409, concurrency-409, rate-429 and block-409-other-code without processing, ToWait only when given", async () => {
    sim.admin.injectFaults([
      { kind: "rate-409", toWaitSec: 12 },
      { kind: "concurrency-409" },
      { kind: "rate-429" },
      { kind: "block-409-other-code", toWaitSec: 3 },
    ]);
    const rate = await create("a");
    assert.equal(rate.status, 409);
    assert.match(rate.body?.responseErrorDetails?.errorMessage ?? "", /1965/);
    assert.equal(rate.headers.get("x-ratelimit-towait-sec"), "12");
    const concurrency = await create("a");
    assert.equal(concurrency.status, 409);
    assert.match(concurrency.body?.responseErrorDetails?.errorMessage ?? "", /1960/);
    const gateway = await create("a");
    assert.equal(gateway.status, 429);
    assert.equal(gateway.text, "");
    assert.equal(gateway.headers.get("x-ratelimit-towait-sec"), null);
    const undocumented = await create("a");
    assert.equal(undocumented.status, 409);
    assert.equal(undocumented.body?.responseCode, "OTHER_ERROR");
    assert.doesNotMatch(undocumented.body?.responseErrorDetails?.errorMessage ?? "", /196[05]/);
    assert.equal(undocumented.headers.get("x-ratelimit-towait-sec"), "3");
    assert.deepEqual(sim.admin.listKeys(), []);
    assert.equal(sim.admin.callCounts()["blocked"], 4);
    assert.equal((await create("a")).body?.responseCode, "SUCCESS");
  });

  it("answers 503 and 502 with HTML and a truncated 200 XML, writing nothing", async () => {
    sim.admin.injectFaults([{ kind: "unavailable-503" }, { kind: "html-proxy" }, { kind: "malformed-xml" }]);
    const unavailable = await create("a");
    assert.equal(unavailable.status, 503);
    assert.match(unavailable.text, /<html>/);
    const proxy = await create("a");
    assert.equal(proxy.status, 502);
    assert.match(proxy.headers.get("content-type") ?? "", /text\/html/);
    const malformed = await create("a");
    assert.equal(malformed.status, 200);
    assert.equal(malformed.body, undefined, "a truncated body must not parse");
    assert.deepEqual(sim.admin.listKeys(), []);
  });

  it("resets the connection before (nothing written) or after (key committed) a create", async () => {
    sim.admin.injectFaults([{ kind: "reset-before", operation: "create" }]);
    await assert.rejects(create("before"));
    assert.deepEqual(sim.admin.listKeys(), []);
    sim.admin.injectFaults([{ kind: "reset-after", operation: "create" }]);
    await assert.rejects(create("after"));
    assert.deepEqual(sim.admin.listKeys().map((key) => key.title), ["after"]);
  });

  it("applies faults only to the operation named, count times, and clears them on demand", async () => {
    sim.admin.injectFaults([{ kind: "unavailable-503", operation: "get", count: 2 }]);
    const id = onlyKey(await create("k")).id;
    assert.equal((await qps(sim.url, `get/ca/agentactkey/${id}`)).status, 503);
    assert.equal((await qps(sim.url, `get/ca/agentactkey/${id}`)).status, 503);
    assert.equal((await qps(sim.url, `get/ca/agentactkey/${id}`)).status, 200);
    sim.admin.injectFaults([{ kind: "unavailable-503", count: 5 }]);
    sim.admin.clearFaults();
    assert.equal((await qps(sim.url, `get/ca/agentactkey/${id}`)).status, 200);
  });

  it("delays a slow call and then answers it normally", async () => {
    sim.admin.injectFaults([{ kind: "slow", delayMs: 300 }]);
    const pending = create("slow");
    await until(() => sim.admin.maxInFlight() === 1);
    // Admitted, but not processed before the delay is over.
    assert.deepEqual(sim.admin.listKeys(), []);
    const answer = await pending;
    assert.equal(answer.body?.responseCode, "SUCCESS");
    assert.equal(sim.admin.listKeys().length, 1);
  });
});
