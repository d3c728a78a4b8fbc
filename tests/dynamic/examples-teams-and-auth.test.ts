import { strict as assert } from "node:assert";
import { join } from "node:path";
import { DynamicProviderHost, startSimulatedStack } from "pulumi-qualys/testing";
import { REPO_ROOT, SIM_USER, startTestStack, type TestStack } from "../harness/test-stack";

describe("examples/teams, JWT mode and license warnings through the host", function () {
  this.timeout(60_000);
  let stack: TestStack;
  afterEach(() => stack?.close());

  it("examples/teams: one key per team row, owners routing tickets, then a quiet second run", async () => {
    const program = await startSimulatedStack({ program: join(REPO_ROOT, "dist/examples/teams/index.js"), projectDir: REPO_ROOT });
    try {
      const sim = program.simulator;
      await program.up();
      const keys = sim.admin.listKeys().sort((a, b) => a.title.localeCompare(b.title));
      assert.deepEqual(
        keys.map((k) => [k.title, k.type, k.ownerId, [...k.modules].sort(), k.tags.map((t) => t.id)]),
        [
          ["agents-data", "COUNT_LIMITED", 381715590, ["SCA", "VM_LICENSE"], [103180089]],
          ["agents-payments", "COUNT_LIMITED", 364812443, ["FIM", "PC_LICENSE", "VM_LICENSE"], [103180087]],
          ["agents-platform", "UNLIMITED", 381715587, ["PM", "VM_LICENSE"], [103180088]],
        ],
      );
      sim.admin.resetLog();
      assert.ok((await program.up()).steps.every((s) => s.op === "same"));
      assert.equal(sim.admin.requestLog().length, 0);
      await program.destroy();
    } finally {
      await program.close();
    }
  });

  it("qualys:authMode jwt: gets a token from <gateway>/auth once and uses it for every call", async () => {
    stack = await startTestStack({ configure: false });
    const host: DynamicProviderHost = stack.host;
    await host.configure({ "qualys:apiUrl": stack.sim.url, "qualys:gatewayUrl": stack.sim.url, "qualys:authMode": "jwt", "qualys:username": SIM_USER.username, "qualys:password": SIM_USER.password });
    for (const title of ["jwt-1", "jwt-2"]) {
      const { inputs } = await host.check(stack.urn(title), {}, stack.inputs({ title }));
      await host.create(stack.urn(title), inputs);
    }
    assert.equal(stack.sim.admin.listKeys().length, 2);
    assert.equal(stack.sim.admin.callCounts().auth, 1, "one token for the whole process");
  });

  it("accepts a license name Qualys does not document yet, with a warning the user sees", async () => {
    stack = await startTestStack();
    const { failures } = await stack.host.check(stack.urn("new"), {}, stack.inputs({ title: "new", modules: ["VM_LICENSE", "XDR_NEXT"] }));
    assert.deepEqual(failures, []);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the log RPC is asynchronous
    assert.ok(stack.host.engineLog.some((l) => l.severity === "warning" && /XDR_NEXT are not among the licenses Qualys documents/.test(l.message)), JSON.stringify(stack.host.engineLog));
  });
});
