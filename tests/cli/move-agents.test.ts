import { strict as assert } from "node:assert";
import { run } from "../../provider/cli/qualys-keys";
import { startSimulator, type RunningSimulator, type SimKey } from "../../simulator";

/** `qualys-keys move-agents` against the simulator with agents attached (issue 17). */
describe("qualys-keys move-agents", function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let from: SimKey;
  let to: SimKey;
  let bystander: SimKey;
  const saved = { ...process.env };

  beforeEach(async () => {
    sim = await startSimulator({ users: [{ username: "cli", password: "cli-password" }, { username: "ops", password: "ops-password", changeActivationKey: false }] });
    from = sim.admin.attachAgents(sim.admin.insertKey({ title: "linux-2026" }).id, 5);
    to = sim.admin.insertKey({ title: "linux-2027" });
    bystander = sim.admin.attachAgents(sim.admin.insertKey({ title: "windows" }).id, 2);
    Object.assign(process.env, { QUALYS_API_URL: sim.url, QUALYS_USERNAME: "cli", QUALYS_PASSWORD: "cli-password" });
  });
  afterEach(async () => {
    process.env = { ...saved };
    await sim.close();
  });

  async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
    let output = "";
    const code = await run(argv, (text) => (output += text));
    return { code, output };
  }

  it("is a dry run by default: lists the agents that would move and changes nothing", async () => {
    const before = sim.admin.listKeys();
    sim.admin.resetLog();
    const { code, output } = await cli("move-agents", "--from", "linux-2026", "--to", String(to.id));
    assert.equal(code, 0);
    assert.match(output, new RegExp(`Dry run: would move 5 agent\\(s\\) from key ${from.id} "linux-2026" to key ${to.id} "linux-2027"`));
    for (const agent of from.agents) assert.match(output, new RegExp(`^  ${agent.id}\\t${agent.name}`, "m"));
    assert.match(output, /Nothing was changed\. Run again with --apply/);
    assert.deepEqual(sim.admin.listKeys(), before);
    assert.equal(sim.admin.callCounts().changeactkey, 0);
    assert.ok(!output.includes(from.activationKey) && !output.includes(to.activationKey), "never prints an activation key");
  });

  it("with --apply moves exactly the agents of the named key, and says where they are now", async () => {
    const { code, output } = await cli("move-agents", "--from", String(from.id), "--to", "linux-2027", "--apply");
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`Moved: key ${from.id} now has 0 agent\\(s\\), key ${to.id} has 5\\.`));
    assert.deepEqual(sim.admin.getKey(to.id)?.agents.map((agent) => agent.id), from.agents.map((agent) => agent.id));
    assert.deepEqual(sim.admin.getKey(bystander.id)?.agents, bystander.agents, "other keys' agents stay");
    assert.equal(sim.admin.callCounts().changeactkey, 1);
  });

  it("with --agents moves only the named ones, and reports those the key does not hold", async () => {
    const [first, second] = from.agents.map((agent) => agent.id);
    const stranger = bystander.agents[0]!.id;
    const { code, output } = await cli("move-agents", "--from", "linux-2026", "--to", "linux-2027", "--agents", `${first},${second},${stranger}`, "--apply");
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`left alone: agent\\(s\\) ${stranger}`));
    assert.deepEqual(sim.admin.getKey(to.id)?.agents.map((agent) => agent.id), [first, second]);
    assert.equal(sim.admin.getKey(from.id)?.countUsed, 3);
    assert.equal(sim.admin.getKey(bystander.id)?.countUsed, 2);
  });

  it("refuses a disabled or unknown target, or a user without the permission, before anything moves", async () => {
    sim.admin.patchKey(to.id, { isDisabled: true });
    await assert.rejects(cli("move-agents", "--from", "linux-2026", "--to", "linux-2027", "--apply"), /--to \d+ names a disabled key/);
    await assert.rejects(cli("move-agents", "--from", "linux-2026", "--to", "no-such-title", "--apply"), /--to "no-such-title" names no key/);
    sim.admin.patchKey(to.id, { isDisabled: false });
    Object.assign(process.env, { QUALYS_USERNAME: "ops", QUALYS_PASSWORD: "ops-password" });
    await assert.rejects(cli("move-agents", "--from", "linux-2026", "--to", "linux-2027", "--apply"), /Change Activation Key/);
    assert.equal(sim.admin.getKey(from.id)?.countUsed, 5);
    await assert.rejects(cli("move-agents", "--from", "linux-2026"), /needs --from <id\|title> and --to/);
    await assert.rejects(cli("move-agents", "--from", "1", "--to", "2", "--agents", "x"), /--agents must be agent asset ids/);
  });
});
