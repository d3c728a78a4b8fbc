import { strict as assert } from "node:assert";
import { run } from "../../provider/cli/qualys-keys";
import { startSimulator } from "../../simulator";
import type { RunningSimulator, SimulatorOptions } from "../../simulator/types";

/** A test-only credential, built at run time: never a real-looking password in the source. */
const PASSWORD = ["doctor", "pw", String(process.pid)].join("-");
const PREFIX = "pulumi-qualys-acc-";

describe("qualys-keys doctor and sweep", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  const saved = { ...process.env };

  async function start(options: SimulatorOptions, username = "alice"): Promise<void> {
    sim = await startSimulator(options);
    Object.assign(process.env, { QUALYS_API_URL: sim.url, QUALYS_USERNAME: username, QUALYS_PASSWORD: PASSWORD });
  }
  afterEach(async () => {
    process.env = { ...saved };
    await sim?.close();
  });

  async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
    let output = "";
    const code = await run(argv, (text) => (output += text));
    return { code, output };
  }
  const calls = (): number => sim.admin.requestLog().length;

  it("doctor: read-only in 2 calls, reports the limits the simulator set, the keys, and that search hides disabled keys", async () => {
    await start({ users: [{ username: "alice", password: PASSWORD }], rateLimit: { limit: 120, windowSec: 600 }, concurrencyLimit: 1 });
    sim.admin.insertKey({ title: "linux" });
    sim.admin.insertKey({ title: "old", isDisabled: true });
    const { code, output } = await cli("doctor");
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`ok    platform: API server ${sim.url.replace(/[.]/g, "\\.")}`));
    assert.match(output, /ok    credentials: accepted/);
    assert.match(output, /ok    limits: the answer announced rate 120 calls per 600 s \(119 left\), concurrency 1 call\(s\) at once/);
    assert.match(output, /ok    keys: 2 in the subscription, 1 of them disabled/);
    assert.match(output, /ok    disabled keys: a default search hides them/);
    assert.equal(calls(), 2, "at most 3 calls; 2 when one page holds every key");
    assert.equal(sim.admin.listKeys().length, 2, "read-only");
    assert.ok(!output.includes(PASSWORD) && !output.includes("alice"), "no credential printed");
  });

  it("doctor: names the permission a user lacks, and the fix; exit code 1", async () => {
    await start({ users: [{ username: "bob", password: PASSWORD, permissions: ["create", "edit", "delete"] }] }, "bob");
    const { code, output } = await cli("doctor");
    assert.equal(code, 1);
    assert.match(output, /FAIL  permission CA Activation Key View: QUALYS_AUTH_FAILED/);
    assert.match(output, /fix: grant the API user the "CA Activation Key View" permission/);
    assert.equal(calls(), 1, "stops at the first refusal");
  });

  it("doctor: wrong password is a credentials failure with its fix; no credential printed", async () => {
    await start({ users: [{ username: "alice", password: `${PASSWORD}-other` }] });
    const { code, output } = await cli("doctor");
    assert.equal(code, 1);
    assert.match(output, /FAIL  credentials: QUALYS_AUTH_FAILED.*\n      fix: check QUALYS_USERNAME and QUALYS_PASSWORD/);
    assert.ok(!output.includes(PASSWORD));
  });

  it("doctor --write-check: create, update, delete of one prefixed key; detects modules an unlicensed subscription dropped", async () => {
    await start({ users: [{ username: "alice", password: PASSWORD }], licenses: ["VM_LICENSE"] });
    const { code, output } = await cli("doctor", "--write-check", "--modules", "VM_LICENSE,EDR");
    assert.equal(code, 1, output);
    assert.match(output, new RegExp(`ok    create: key \\d+ "${PREFIX}doctor-`));
    assert.match(output, /FAIL  modules: Qualys dropped EDR without an error and kept VM_LICENSE/);
    assert.match(output, /ok    update: key \d+ renamed/);
    assert.match(output, /ok    delete: key \d+ deleted/);
    assert.deepEqual(sim.admin.listKeys(), [], "nothing left");
    assert.deepEqual(sim.admin.callCounts(), { create: 1, get: 0, update: 1, delete: 1, search: 2, changeactkey: 0, auth: 0, blocked: 0 });

    const licensed = await cli("doctor", "--write-check", "--modules", "VM_LICENSE");
    assert.equal(licensed.code, 0, licensed.output);
    assert.match(licensed.output, /ok    modules: Qualys kept every module asked for \(VM_LICENSE\)/);
  });

  it("doctor --write-check: a user without Delete permission is told which permission, and how to remove the key left", async () => {
    await start({ users: [{ username: "carol", password: PASSWORD, permissions: ["view", "create", "edit"] }] }, "carol");
    const { code, output } = await cli("doctor", "--write-check", "--modules", "VM_LICENSE");
    assert.equal(code, 1);
    assert.match(output, /FAIL  permission CA Activation Key Delete/);
    assert.match(output, /qualys-keys sweep --prefix pulumi-qualys-acc- --yes/);
  });

  it("sweep: a dry run by default; --yes deletes only prefixed keys without agents, and says why it kept the others", async () => {
    await start({ users: [{ username: "alice", password: PASSWORD }] });
    const stale = sim.admin.insertKey({ title: `${PREFIX}stale`, datePurchased: "2020-01-01T00:00:00Z" });
    const disabled = sim.admin.insertKey({ title: `${PREFIX}disabled`, isDisabled: true, datePurchased: "2020-01-01T00:00:00Z" });
    const withAgents = sim.admin.insertKey({ title: `${PREFIX}enrolled`, datePurchased: "2020-01-01T00:00:00Z" });
    sim.admin.attachAgents(withAgents.id, 2);
    const fresh = sim.admin.insertKey({ title: `${PREFIX}fresh`, datePurchased: new Date().toISOString().replace(/\.\d+Z$/, "Z") });
    const production = sim.admin.insertKey({ title: "production" });

    const dry = await cli("sweep", "--prefix", PREFIX, "--older-than", "1h");
    assert.equal(dry.code, 0);
    assert.match(dry.output, new RegExp(`would delete ${stale.id}\t${PREFIX}stale`));
    assert.match(dry.output, new RegExp(`would delete ${disabled.id}\t${PREFIX}disabled`), "disabled keys too");
    assert.match(dry.output, new RegExp(`kept     ${withAgents.id}\t${PREFIX}enrolled\t\\(2 agent\\(s\\) registered`));
    assert.match(dry.output, new RegExp(`kept     ${fresh.id}\t${PREFIX}fresh\t\\(created .*not older than --older-than\\)`));
    assert.match(dry.output, /dry run: 2 key\(s\) would be deleted; run again with --yes/);
    assert.equal(sim.admin.listKeys().length, 5, "a dry run deletes nothing");

    const real = await cli("sweep", "--prefix", PREFIX, "--older-than", "1h", "--yes");
    assert.equal(real.code, 0);
    assert.deepEqual(sim.admin.listKeys().map((k) => k.id).sort((a, b) => a - b), [withAgents.id, fresh.id, production.id]);
    assert.equal(sim.admin.callCounts().delete, 2);
  });

  it("sweep refuses without a prefix or with a bad duration", async () => {
    await start({ users: [{ username: "alice", password: PASSWORD }] });
    await assert.rejects(cli("sweep"), /sweep needs --prefix P/);
    await assert.rejects(cli("sweep", "--prefix", PREFIX, "--older-than", "2 weeks"), /--older-than must look like 90s, 30m, 2h or 7d/);
    assert.equal(calls(), 0);
  });
});
