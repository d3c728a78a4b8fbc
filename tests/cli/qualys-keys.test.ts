import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DRIFT_EXIT_CODE, run } from "../../provider/cli/qualys-keys";
import { ProgramUnderMocks } from "pulumi-qualys/testing";
import { REPO_ROOT, SIM_USER, startTestStack, type TestStack } from "../harness/test-stack";

describe("qualys-keys CLI", function () {
  this.timeout(60_000);
  let stack: TestStack;
  let dir: string;
  const saved = { ...process.env };

  beforeEach(async () => {
    stack = await startTestStack();
    dir = mkdtempSync(join(tmpdir(), "qualys-keys-"));
    Object.assign(process.env, { QUALYS_API_URL: stack.sim.url, QUALYS_USERNAME: SIM_USER.username, QUALYS_PASSWORD: SIM_USER.password });
  });
  afterEach(async () => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
    await stack.close();
  });

  async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
    let output = "";
    const code = await run(argv, (text) => (output += text));
    return { code, output };
  }

  /** The stack as `pulumi stack export` writes it, from the harness state after an up. */
  async function exportedStack(): Promise<string> {
    const program = new ProgramUnderMocks(stack.newHost, join(REPO_ROOT, "dist/examples/basic/index.js"));
    await program.up();
    const resources = [...program.state.values()].map((e) => ({ urn: e.urn, custom: true, type: e.type, id: e.id, inputs: e.inputs, outputs: e.outputs }));
    const file = join(dir, "stack.json");
    writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources } }));
    return file;
  }

  it("drift-report: silent (exit 0) when nothing changed, in a few API calls", async () => {
    const file = await exportedStack();
    stack.sim.admin.resetLog();
    const { code, output } = await cli("drift-report", "--stack-export", file);
    assert.equal(code, 0);
    assert.match(output, /no drift/);
    assert.equal(stack.sim.admin.callCounts().search, 2);
  });

  it("drift-report: names each drifted field with declared and actual values, and deleted keys (exit 7)", async () => {
    const file = await exportedStack();
    const [linux, workstations] = ["linux-servers", "workstations"].map((t) => stack.sim.admin.listKeys().find((k) => k.title === t)!);
    stack.sim.admin.patchKey(linux!.id, { ownerId: 999, countPurchased: 10 });
    stack.sim.admin.deleteKey(workstations!.id);

    const json = await cli("drift-report", "--stack-export", file, "--format", "json");
    assert.equal(json.code, DRIFT_EXIT_CODE);
    const report = JSON.parse(json.output) as { drift: boolean; keys: { name: string; status: string; fields: { field: string; declared: unknown; actual: unknown }[] }[] };
    assert.equal(report.drift, true);
    const byName = Object.fromEntries(report.keys.map((k) => [k.name, k]));
    assert.deepEqual(byName["linux-servers"]?.fields, [
      { field: "countPurchased", declared: 500, actual: 10 },
      { field: "ownerId", declared: 364812443, actual: 999 },
    ]);
    assert.equal(byName.workstations?.status, "deleted");

    const markdown = await cli("drift-report", "--stack-export", file);
    assert.match(markdown.output, /\| linux-servers \| \d+ \| ownerId \| `364812443` \| `999` \|/);
    assert.match(markdown.output, /\| workstations \| \d+ \| \*\(key\)\* \| exists \| \*\*deleted\*\* \|/);
  });

  it("export-typescript: prints ready-to-paste declarations with adopt: true", async () => {
    stack.sim.admin.insertKey({ title: "Linux Servers", type: "COUNT_LIMITED", countPurchased: 50, modules: ["PC_LICENSE", "VM_LICENSE"], ownerId: 42 });
    stack.sim.admin.insertKey({ title: "old", isDisabled: true });
    const { code, output } = await cli("export-typescript");
    assert.equal(code, 0);
    assert.match(output, /import \* as qualys from "pulumi-qualys";/);
    assert.match(output, /export const linuxServers = new qualys\.ActivationKey\("linux-servers", \{\n  title: "Linux Servers",\n  type: "COUNT_LIMITED",\n  countPurchased: 50,\n  ownerId: 42,\n  modules: \["PC_LICENSE","VM_LICENSE"\],\n  adopt: true,\n\}\);/);
    assert.match(output, /new qualys\.ActivationKey\("old", \{\n  title: "old",\n  type: "UNLIMITED",\n  isDisabled: true,\n  adopt: true,/, "disabled keys are listed too");
  });

  it("names only the environment it reads, the one setting missing, and the variable that allows plain http", async () => {
    delete process.env.QUALYS_PASSWORD;
    await assert.rejects(cli("list"), (error: Error) => {
      assert.equal(error.message, "No Qualys password. Set it in the environment: QUALYS_PASSWORD.");
      return true;
    });
    delete process.env.QUALYS_USERNAME;
    await assert.rejects(cli("list"), /^QualysConfigError: No Qualys username and password\. Set them in the environment: QUALYS_USERNAME and QUALYS_PASSWORD\.$/);
    Object.assign(process.env, { QUALYS_USERNAME: SIM_USER.username, QUALYS_PASSWORD: SIM_USER.password, QUALYS_API_URL: "http://qualys.example.com" });
    await assert.rejects(cli("list"), (error: Error) => {
      assert.match(error.message, /^QUALYS_API_URL "http:\/\/qualys\.example\.com" uses plain http/);
      assert.match(error.message, /set QUALYS_ALLOW_INSECURE_HTTP to true/);
      assert.doesNotMatch(error.message, /pulumi config|qualys:/);
      return true;
    });
  });

  it("refuses a missing --stack-export with the usage", async () => {
    await assert.rejects(cli("drift-report"), /needs --stack-export/);
  });
});
