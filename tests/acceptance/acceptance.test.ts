import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import type { RecordedExchange } from "../../provider/qualys/transport/exchange-recorder";
import { REPO_ROOT } from "../harness/test-stack";

/** A test-only credential, built at run time: never a real-looking password in the source. */
const USER = { username: "acc-user", password: ["acc", "pw", String(process.pid)].join("-"), role: "manager" as const };
const PREFIX = "pulumi-qualys-acc-";
const RUNNER = join(REPO_ROOT, "dist/tests/acceptance/run-acceptance.js");
const CLI = join(REPO_ROOT, "dist/provider/cli/qualys-keys.js");

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script as a user would (`node …`), with only the given QUALYS_* variables. */
function runNode(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("QUALYS_")));
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env: { ...base, ...env }, cwd: REPO_ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("the acceptance suite, against the simulator (npm run test:acceptance runs it against a subscription)", function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let dir: string;
  let record: string;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    QUALYS_API_URL: sim.url,
    QUALYS_USERNAME: USER.username,
    QUALYS_PASSWORD: USER.password,
    QUALYS_ACC: "1",
    QUALYS_ACC_SIMULATOR: "1",
    QUALYS_ACC_OWNER_IDS: "364812443,364812444",
    QUALYS_ACC_TAG_IDS: "103180087",
    QUALYS_RECORD: record,
    ...extra,
  });
  const prefixedKeys = (): string[] => sim.admin.listKeys().map((k) => k.title).filter((title) => title.startsWith(PREFIX));

  beforeEach(async () => {
    sim = await startSimulator({ users: [USER], rateLimit: { limit: 300, windowSec: 3600 }, concurrencyLimit: 2 });
    dir = mkdtempSync(join(tmpdir(), "qualys-acc-test-"));
    record = join(dir, "exchanges.jsonl");
  });
  afterEach(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes the whole lifecycle within the default budget, leaves nothing behind, and records every exchange masked", async () => {
    const run = await runNode(RUNNER, [], env());
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const steps = ["create with owner, modules and tags", "read", "no-op", "update modules and owner", "drift made by a direct API call", "adopt the key by title", "rotate: a new rotationTrigger", "retire: a successor key", "delete (plugin)"];
    for (const step of steps) {
      assert.match(run.stdout, new RegExp(`ok   ${step.replace(/[()]/g, "\\$&")}`), `step ${step}`);
    }
    assert.doesNotMatch(run.stdout, /skip/, "against the simulator nothing is skipped: agents are attached");
    assert.deepEqual(prefixedKeys(), []);
    const counts = sim.admin.callCounts();
    assert.deepEqual([counts.create, counts.changeactkey, counts.delete, counts.blocked], [3, 2, 3, 0], "three keys made and deleted; agents moved by the rotation and by the retirement");

    const lines = readFileSync(record, "utf8").trim().split("\n");
    const exchanges = lines.map((line) => JSON.parse(line) as RecordedExchange);
    assert.equal(exchanges.length, sim.admin.requestLog().length, "every exchange of every process is recorded, once");
    const total = Number(/calls: (\d+) \(budget 80\)/.exec(run.stdout)?.[1]);
    assert.equal(total, exchanges.length, "the suite counts calls from the record, on the client side");
    const text = readFileSync(record, "utf8");
    assert.ok(!text.includes(USER.password), "no password");
    assert.ok(!text.includes(Buffer.from(`${USER.username}:${USER.password}`).toString("base64")), "no Basic credential");
    assert.ok(exchanges.some((e) => e.operation === "create" && /<activationKey>\[REDACTED\]</.test(e.responseBody ?? "")), "the create answer's key is masked");
    assert.ok(!/<activationKey>(?!\[REDACTED\])[^<]/.test(text), "no activation key value");
    assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(text.replace(/<uuid>[^<]*</g, "")), "no key value anywhere else either");
    assert.ok(exchanges.every((e) => e.limits["x-ratelimit-limit"] === "300"), "limit headers kept");
  });

  it("as against a real subscription (no QUALYS_ACC_SIMULATOR): rotates and retires keys with zero agents, and says so", async () => {
    const run = await runNode(RUNNER, [], env({ QUALYS_ACC_SIMULATOR: "" }));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /skip agents: not against the simulator/);
    assert.match(run.stdout, /ok   rotate: [^\n]*\nok   retire: /);
    assert.deepEqual(prefixedKeys(), []);
    assert.equal(sim.admin.callCounts().changeactkey, 2, "the moves are sent with zero agents too: a real run costs what CONTRIBUTING.md says");
  });

  it("stopped past its budget after the rotate step, deletes the new key its agents moved to, and nothing else", async () => {
    const bystander = sim.admin.insertKey({ title: "production-linux" });
    const run = await runNode(RUNNER, [], env({ QUALYS_ACC_MAX_CALLS: "15" }));
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /FAILED: call budget QUALYS_ACC_MAX_CALLS=15 exceeded: \d+ calls after step "rotate: /);
    assert.match(run.stdout, /cleanup: deleted key \d+/);
    assert.deepEqual(prefixedKeys(), [], "0 prefixed keys left, although the new key had agents");
    assert.deepEqual(sim.admin.listKeys().map((k) => k.id), [bystander.id], "only the run's keys touched");
  });

  it("refuses QUALYS_ACC_SIMULATOR=1 with an API URL that is not on this machine (its admin API would be no simulator's)", async () => {
    const run = await runNode(RUNNER, [], env({ QUALYS_API_URL: "https://qualys.invalid" }));
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /refused: QUALYS_ACC_SIMULATOR=1 needs QUALYS_API_URL on this machine/);
  });

  it("refuses to run without QUALYS_ACC=1, saying how to enable it, and calls nothing", async () => {
    const run = await runNode(RUNNER, [], env({ QUALYS_ACC: "" }));
    assert.equal(run.code, 2);
    assert.match(run.stdout, /QUALYS_ACC=1 npm run test:acceptance/);
    assert.equal(sim.admin.requestLog().length, 0);
  });

  it("stops past its call budget, cleans up, and fails naming the budget and the calls per operation", async () => {
    const run = await runNode(RUNNER, [], env({ QUALYS_ACC_MAX_CALLS: "5" }));
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /FAILED: call budget QUALYS_ACC_MAX_CALLS=5 exceeded/);
    assert.match(run.stdout, /calls: \d+ \(budget 5\): search \d+, create 1, update 1, delete 1/);
    assert.match(run.stdout, /cleanup: deleted key \d+/);
    assert.deepEqual(prefixedKeys(), [], "0 prefixed keys left");
  });

  it("refuses to start while keys with its prefix exist, and the sweeper removes them", async () => {
    const leftover = sim.admin.insertKey({ title: `${PREFIX}crashed-run` });
    const other = sim.admin.insertKey({ title: "production-linux" });
    const refused = await runNode(RUNNER, [], env());
    assert.equal(refused.code, 2);
    assert.match(refused.stdout, new RegExp(`refused: 1 key\\(s\\) with the prefix "${PREFIX}" exist \\(${leftover.id} ${PREFIX}crashed-run\\)`));
    assert.match(refused.stdout, /npx qualys-keys sweep --prefix pulumi-qualys-acc- --yes/);
    assert.equal(sim.admin.listKeys().length, 2, "nothing touched");

    const sweep = await runNode(CLI, ["sweep", "--prefix", PREFIX, "--yes"], env());
    assert.equal(sweep.code, 0, sweep.stderr);
    assert.match(sweep.stdout, new RegExp(`deleted  ${leftover.id}\t${PREFIX}crashed-run`));
    assert.deepEqual(sim.admin.listKeys().map((k) => k.id), [other.id]);
  });
});
