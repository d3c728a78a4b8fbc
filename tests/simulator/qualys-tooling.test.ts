/**
 * The simulator driven the way Qualys' own Python tooling drives the real API
 * (python-tooling-client.ts): JSON answers, startFromOffset paging, the concurrency and rate
 * headers read after every answer, and keys recreated in another subscription by tag name.
 */
import { strict as assert } from "node:assert";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { PythonToolingClient } from "./python-tooling-client";

const USER = "admin";
const PASSWORD = "admin-password";

describe("simulator with Qualys' own Python tooling", () => {
  const started: RunningSimulator[] = [];
  const start = async (...args: Parameters<typeof startSimulator>): Promise<RunningSimulator> => {
    const sim = await startSimulator(...args);
    started.push(sim);
    return sim;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  it("lists 2345 keys in JSON pages of 1000 with startFromOffset, each once, until hasMoreRecords is the string 'false'", async () => {
    const sim = await start();
    const inserted = Array.from({ length: 2345 }, (_, index) => sim.admin.insertKey({ title: `key-${index}` }).id);
    const tool = new PythonToolingClient(sim.url, USER, PASSWORD);
    const keys = await tool.listKeys();
    assert.deepEqual(keys.map((entry) => entry.AgentActKey.id), inserted);
    const pages = tool.answers.map((answer) => {
      const { count, hasMoreRecords } = (JSON.parse(answer.text) as { ServiceResponse: { count: unknown; hasMoreRecords: unknown } }).ServiceResponse;
      return [answer.status, answer.headers["content-type"], count, hasMoreRecords];
    });
    assert.deepEqual(
      pages,
      [
        [200, "application/json;charset=UTF-8", 1000, "true"],
        [200, "application/json;charset=UTF-8", 1000, "true"],
        [200, "application/json;charset=UTF-8", 345, "false"],
      ],
    );
    assert.deepEqual(sim.admin.callCounts()["search"], 3);
  });

  it("runs call after call on a 1-concurrency subscription without ever seeing itself as 'running'", async () => {
    const sim = await start({ concurrencyLimit: 1, rateLimit: { limit: 300, windowSec: 3600 } });
    for (let index = 0; index < 5; index += 1) sim.admin.insertKey({ title: `key-${index}` });
    const tool = new PythonToolingClient(sim.url, USER, PASSWORD);
    const keys = await tool.listKeys(2);
    assert.equal(keys.length, 5);
    await tool.call(`/qps/rest/1.0/get/ca/agentactkey/${keys[0]?.AgentActKey.id}`, "", {}, "GET");
    assert.deepEqual(tool.sleeps, [], "the tool slept as if blocked");
    assert.deepEqual(
      tool.answers.map((answer) => [answer.headers["x-concurrency-limit-limit"], answer.headers["x-concurrency-limit-running"]]),
      Array.from({ length: 4 }, () => ["1", "0"]),
    );
    assert.equal(sim.admin.callCounts()["blocked"], 0);
  });

  it("waits what X-RateLimit-ToWait-Sec says when the rate limit blocks it, then carries on paging", async () => {
    let clock = Date.parse("2026-02-01T00:00:00Z");
    const sim = await start({ rateLimit: { limit: 2, windowSec: 60 }, now: () => clock });
    for (let index = 0; index < 5; index += 1) sim.admin.insertKey({ title: `key-${index}` });
    const tool = new PythonToolingClient(sim.url, USER, PASSWORD, (seconds) => (clock += seconds * 1000));
    const keys = await tool.listKeys(2);
    assert.equal(keys.length, 5);
    // The third page is refused until the first call leaves the 60 s window.
    assert.deepEqual(tool.sleeps, [60]);
    assert.deepEqual(tool.answers.map((answer) => answer.status), [200, 200, 409, 200]);
  });

  it("recreates keys in another subscription: modules plus GAV, tags resolved by name to that subscription's ids", async () => {
    const source = await start();
    source.admin.insertKey({ title: "web servers", type: "UNLIMITED", modules: ["VM_LICENSE", "PC_LICENSE"], tags: [{ id: 11, name: "Prod" }, { id: 12, name: "Linux" }] });
    source.admin.insertKey({ title: "laptops", type: "UNLIMITED", modules: [], tags: [] });
    source.admin.insertKey({ title: "lab", type: "UNLIMITED", modules: ["VM_LICENSE"], tags: [{ id: 13, name: "Lab" }] });
    const target = await start({ licenses: ["VM_LICENSE", "PC_LICENSE", "GAV"], tags: [{ id: 9001, name: "Prod" }, { id: 9002, name: "Linux" }] });

    const keys = await new PythonToolingClient(source.url, USER, PASSWORD).listKeys();
    const writer = new PythonToolingClient(target.url, USER, PASSWORD);
    const answers = [];
    for (const key of keys) answers.push(await writer.createKey(key));

    assert.deepEqual(answers.map((answer) => /<responseCode>(\w+)<\/responseCode>/.exec(answer.text)?.[1]), ["SUCCESS", "SUCCESS", "INVALID_REQUEST"]);
    assert.match(answers[2]?.text ?? "", /Tag with name Lab does not exist/);
    assert.deepEqual(
      target.admin.listKeys().map((key) => ({ title: key.title, modules: key.modules, tags: key.tags })),
      [
        { title: "web servers", modules: ["VM_LICENSE", "PC_LICENSE", "GAV"], tags: [{ id: 9001, name: "Prod" }, { id: 9002, name: "Linux" }] },
        { title: "laptops", modules: ["GAV"], tags: [] },
      ],
    );
  });
});
