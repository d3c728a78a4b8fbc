import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createQualysClient } from "../../provider/qualys/client";
import type { RecordedExchange } from "../../provider/qualys/transport/exchange-recorder";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";

/** A test-only credential, built at run time: never a real-looking password in the source. */
const USER = { username: "recorder", password: ["rec", "pw", String(process.pid)].join("-") };

describe("QUALYS_RECORD: the exchange recorder", function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ users: [USER], rateLimit: { limit: 300, windowSec: 3600 } });
    dir = mkdtempSync(join(tmpdir(), "qualys-record-"));
  });
  afterEach(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("appends every exchange, Basic and JWT, with no credential and no activation key value, limit headers kept", async () => {
    const file = join(dir, "run.jsonl");
    const observed: RecordedExchange[] = [];
    for (const authMode of ["basic", "jwt"] as const) {
      const api = createQualysClient({ apiUrl: sim.url, gatewayUrl: sim.url, ...USER, authMode, recordFile: file, onExchange: (e) => observed.push(e) });
      const key = await api.create({ title: `rec-${authMode}`, type: "UNLIMITED", modules: ["VM_LICENSE"] });
      await api.get(key.id);
      await api.searchPage([{ field: "activationKey", operator: "EQUALS", value: sim.admin.getKey(key.id)!.activationKey }]);
      await api.delete(key.id);
    }
    const text = readFileSync(file, "utf8");
    const lines = text.trim().split("\n").map((line) => JSON.parse(line) as RecordedExchange);
    assert.equal(lines.length, sim.admin.requestLog().length, "every exchange, the JWT /auth one included");
    assert.deepEqual(lines, observed, "the observer sees what the file holds");
    assert.deepEqual(lines.map((l) => l.operation), ["create", "get", "search", "delete", "auth", "create", "get", "search", "delete"]);
    assert.ok(!text.includes(USER.password), "no password (the /auth form body is masked)");
    assert.ok(!/Basic |Bearer |eyJ/.test(text), "no Basic header, no token");
    assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(text.replace(/<uuid>[^<]*</g, "")), "no activation key value");
    assert.match(lines[0]!.responseBody!, /<activationKey>\[REDACTED\]<\/activationKey>/);
    assert.match(lines[2]!.requestBody!, /<Criteria field="activationKey" operator="EQUALS">\[REDACTED\]</);
    assert.equal(lines[0]!.limits["x-ratelimit-limit"], "300");
    assert.equal(lines[0]!.status, 200);
  });

  it("a file it cannot write never fails a call: one warning, and the run goes on unrecorded", async () => {
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => warnings.push(message) };
    const api = createQualysClient({ apiUrl: sim.url, ...USER, recordFile: join(dir, "missing-dir", "run.jsonl"), logger });
    const key = await api.create({ title: "unrecorded", type: "UNLIMITED" });
    await api.delete(key.id);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /QUALYS_RECORD: cannot append to .*missing-dir.*\(ENOENT\); this run is not recorded/);
  });

  it("records an exchange that got no answer, with the reason", async () => {
    const file = join(dir, "failed.jsonl");
    const url = sim.url;
    await sim.close();
    const api = createQualysClient({ apiUrl: url, ...USER, recordFile: file });
    await assert.rejects(api.get(1), /QUALYS_NETWORK_ERROR|refused/i);
    sim = await startSimulator();
    const [line] = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as RecordedExchange);
    assert.equal(line!.operation, "get");
    assert.equal(line!.status, undefined);
    assert.match(line!.error!, /refused/i);
  });
});
