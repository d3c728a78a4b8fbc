import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { createBody, onlyKey, qps } from "./simulator-http";

async function admin(sim: RunningSimulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${sim.url}/__admin/${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe("simulator admin API over HTTP", () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(() => sim.close());

  it("inserts, patches, lists and deletes keys out of band, visible to the QPS API", async () => {
    const inserted = await admin(sim, "POST", "keys", { title: "from-ui", modules: ["VM_LICENSE"] });
    const id = (inserted.json as { id: number }).id;
    assert.equal(inserted.status, 200);
    const patched = await admin(sim, "PATCH", `keys/${id}`, { title: "renamed-in-ui", isDisabled: true });
    assert.equal((patched.json as { title: string }).title, "renamed-in-ui");
    const seen = onlyKey(await qps(sim.url, `get/ca/agentactkey/${id}`));
    assert.equal(seen.title, "renamed-in-ui");
    assert.equal(seen["isDisabled"], "true");
    assert.deepEqual(((await admin(sim, "GET", "keys")).json as { id: number }[]).map((key) => key.id), [id]);
    assert.equal((await admin(sim, "DELETE", `keys/${id}`)).status, 200);
    assert.equal((await qps(sim.url, `get/ca/agentactkey/${id}`)).body?.responseCode, "OBJECT_NOT_FOUND");
    assert.equal((await admin(sim, "PATCH", `keys/${id}`, { title: "x" })).status, 404);
    assert.equal((await admin(sim, "POST", "keys", { modules: [] })).status, 400);
  });

  it("attaches and detaches agents", async () => {
    const id = Number(onlyKey(await qps(sim.url, "create/ca/agentactkey/", createBody("agents"))).id);
    const attached = (await admin(sim, "POST", `keys/${id}/agents`, { count: 3 })).json as { agents: unknown[]; countUsed: number };
    assert.equal(attached.agents.length, 3);
    assert.equal(attached.countUsed, 3);
    const refused = await qps(sim.url, `delete/ca/agentactkey/${id}`, "<ServiceRequest></ServiceRequest>");
    assert.equal(refused.body?.responseCode, "INVALID_REQUEST");
    await admin(sim, "DELETE", `keys/${id}/agents`);
    assert.equal((await qps(sim.url, `delete/ca/agentactkey/${id}`, "<ServiceRequest></ServiceRequest>")).body?.responseCode, "SUCCESS");
  });

  it("injects and clears faults, changes limits, reads and resets the log and counts", async () => {
    await admin(sim, "POST", "faults", [{ kind: "unavailable-503", operation: "search" }]);
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 503);
    await admin(sim, "POST", "faults", [{ kind: "unavailable-503" }]);
    await admin(sim, "DELETE", "faults");
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 200);

    await admin(sim, "PUT", "limits", { rateLimit: { limit: 3, windowSec: 60 } });
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 200);
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 200);
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 200);
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 409);

    const counts = (await admin(sim, "GET", "counts")).json as Record<string, number>;
    assert.deepEqual(counts, { create: 0, get: 0, update: 0, delete: 0, search: 5, changeactkey: 0, auth: 0, blocked: 1, maxInFlight: 1 });
    const log = (await admin(sim, "GET", "log")).json as { operation: string; statusCode: number; blocked: boolean }[];
    assert.deepEqual(log.map((entry) => entry.statusCode), [503, 200, 200, 200, 200, 409]);
    assert.equal(log[5]?.blocked, true);
    await admin(sim, "POST", "reset-log");
    assert.deepEqual((await admin(sim, "GET", "log")).json, []);
  });

  it("reset forgets keys, faults and runtime limits", async () => {
    await qps(sim.url, "create/ca/agentactkey/", createBody("gone"));
    sim.admin.setLimits({ rateLimit: { limit: 1, windowSec: 60 } });
    sim.admin.injectFaults([{ kind: "html-proxy" }]);
    await admin(sim, "POST", "reset");
    assert.deepEqual(sim.admin.listKeys(), []);
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 200);
    assert.equal((await qps(sim.url, "search/ca/agentactkey/", "<ServiceRequest/>")).status, 200);
  });
});

describe("simulator state file", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "qualys-sim-"));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("shares keys and the id sequence between two simulators using the same file", async () => {
    const statePath = join(directory, "keys.json");
    const first = await startSimulator({ statePath });
    const second = await startSimulator({ statePath });
    try {
      const created = onlyKey(await qps(first.url, "create/ca/agentactkey/", createBody("shared")));
      assert.equal(onlyKey(await qps(second.url, `get/ca/agentactkey/${created.id}`)).title, "shared");
      const next = onlyKey(await qps(second.url, "create/ca/agentactkey/", createBody("second")));
      assert.ok(Number(next.id) > Number(created.id));
      assert.equal((await qps(first.url, "create/ca/agentactkey/", createBody("second"))).body?.responseCode, "CA_1001_DUPLICATE_KEY");
      second.admin.attachAgents(Number(created.id), 1);
      assert.equal(onlyKey(await qps(first.url, `get/ca/agentactkey/${created.id}`))["countUsed"], "1");
    } finally {
      await first.close();
      await second.close();
    }
    const restarted = await startSimulator({ statePath });
    try {
      assert.deepEqual(restarted.admin.listKeys().map((key) => key.title), ["shared", "second"]);
    } finally {
      await restarted.close();
    }
  });
});
