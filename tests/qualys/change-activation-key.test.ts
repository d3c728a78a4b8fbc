/**
 * The client's Change Activation Key call over real HTTP: against the simulator (the documented
 * body, the scheduler's limits and retry rule, the permission refusal) and against a server that
 * echoes the request (the activation key values it sends never appear in an error).
 */
import { strict as assert } from "node:assert";
import { createQualysClient } from "../../provider/qualys/client";
import { QualysAuthError, QualysError, QualysHttpError } from "../../provider/qualys/errors";
import type { QualysClientOptions, ScheduledCall } from "../../provider/qualys/types";
import { LimitAwareScheduler } from "../../provider/scheduling/request-scheduler";
import { startSimulator, type RunningSimulator, type SimKey } from "../../simulator";
import { FakeClock } from "../support/fake-clock";
import { startHostileServer } from "../support/hostile-server";

const USERS = [
  { username: "admin", password: "admin-password" },
  { username: "ops", password: "ops-password", role: "manager" as const, changeActivationKey: false },
];

describe("qualys client: changeActivationKey (cak/ca/changeactkey)", function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let from: SimKey;
  let to: SimKey;
  let lines: string[];
  let scheduled: { operation: string; idempotent: boolean; subject?: string }[];

  /** A client behind the real limit-aware scheduler on a fake clock, recording what it hands it. */
  function client(overrides: Partial<QualysClientOptions> = {}) {
    const logger = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
    const inner = new LimitAwareScheduler({ clock: new FakeClock(), random: () => 0.5, logger });
    return createQualysClient({
      apiUrl: sim.url,
      username: "admin",
      password: "admin-password",
      logger,
      scheduler: {
        run<T>(call: ScheduledCall<T>): Promise<T> {
          scheduled.push({ operation: call.operation, idempotent: call.idempotent, subject: call.subject });
          return inner.run(call);
        },
      },
      ...overrides,
    });
  }

  beforeEach(async () => {
    lines = [];
    scheduled = [];
    sim = await startSimulator({ users: USERS, rateLimit: { limit: 300, windowSec: 3600 }, concurrencyLimit: 2 });
    from = sim.admin.attachAgents(sim.admin.insertKey({ title: "from" }).id, 4, { tags: ["Prod"] });
    to = sim.admin.insertKey({ title: "to" });
  });
  afterEach(() => sim.close());

  it("moves the agents the filters select, through the scheduler as an idempotent changeactkey call", async () => {
    const api = client();
    const [first] = from.agents;
    await api.changeActivationKey({ newActivationKey: to.activationKey, filters: [{ field: "id", operator: "EQUALS", value: String(first!.id) }], fromKeyId: from.id });
    assert.deepEqual(sim.admin.getKey(to.id)?.agents.map((agent) => agent.id), [first!.id]);
    await api.changeActivationKey({
      newActivationKey: to.activationKey,
      filters: [
        { field: "activationKey", operator: "EQUALS", value: from.activationKey },
        { field: "tagName", operator: "EQUALS", value: "Prod" },
      ],
    });
    assert.deepEqual([sim.admin.getKey(from.id)?.countUsed, sim.admin.getKey(to.id)?.countUsed], [0, 4]);
    assert.deepEqual(scheduled[0], { operation: "changeactkey", idempotent: true, subject: `key ${from.id}` });
    const read = await api.get(to.id);
    assert.equal(read.countUsed, 4, "verified by reading the key");
    assert.equal(read.agents?.length, 4);
  });

  it("refuses a move without a filter before sending anything", async () => {
    sim.admin.resetLog();
    await assert.rejects(client().changeActivationKey({ newActivationKey: to.activationKey, filters: [] }), (error: QualysError) => error.code === "QUALYS_INVALID_INPUT" && /at least one filter/.test(error.message));
    assert.equal(sim.admin.requestLog().length, 0);
  });

  it("waits out a rate block and sends a move again after a 503, like a read (retries-and-waiters.md)", async () => {
    sim.admin.injectFaults([
      { operation: "changeactkey", kind: "rate-409", toWaitSec: 30 },
      { operation: "changeactkey", kind: "unavailable-503" },
      { operation: "changeactkey", kind: "reset-after" },
    ]);
    await client().changeActivationKey({ newActivationKey: to.activationKey, filters: [{ field: "activationKey", operator: "EQUALS", value: from.activationKey }] });
    assert.equal(sim.admin.getKey(to.id)?.countUsed, 4);
    assert.equal(sim.admin.callCounts().changeactkey, 3, "the 503, the reset after the move, and the repeat that moves nothing");
  });

  it("names the Change Activation Key permission when Qualys refuses the user", async () => {
    const api = client({ username: "ops", password: "ops-password" });
    await assert.rejects(
      api.changeActivationKey({ newActivationKey: to.activationKey, filters: [{ field: "activationKey", operator: "EQUALS", value: from.activationKey }] }),
      (error: unknown) => error instanceof QualysAuthError && error.responseCode === "INSUFFICIENT_PERMISSION" && /"Change Activation Key" permission/.test(error.message),
    );
    assert.equal(sim.admin.getKey(from.id)?.countUsed, 4);
  });

  it("sends the documented body, and never quotes either activation key value from an echoing server", async () => {
    const server = await startHostileServer((request, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end(`<html><body>Bad gateway for ${request.body}</body></html>`);
    });
    try {
      const api = createQualysClient({ apiUrl: server.url, username: "admin", password: "admin-password", allowInsecureHttp: true });
      const error = await api
        .changeActivationKey({ newActivationKey: to.activationKey, filters: [{ field: "activationKey", operator: "EQUALS", value: from.activationKey }], fromKeyId: from.id })
        .then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof QualysHttpError, String(error));
      assert.equal(server.requests[0]?.path, "/qps/rest/1.0/cak/ca/changeactkey/");
      assert.match(
        server.requests[0]?.body ?? "",
        new RegExp(`<ServiceRequest><data><ChangeActKey><newActivationKey>${to.activationKey}</newActivationKey></ChangeActKey></data><filters><Criteria field="activationKey" operator="EQUALS">${from.activationKey}</Criteria></filters></ServiceRequest>`),
      );
      for (const text of [error.message, JSON.stringify(error)]) {
        assert.ok(!text.includes(to.activationKey) && !text.includes(from.activationKey), text);
      }
    } finally {
      await server.close();
    }
  });
});
