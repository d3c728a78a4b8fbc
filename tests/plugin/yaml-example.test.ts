import { strict as assert } from "node:assert";
import { join } from "node:path";
import { YamlPluginDeployment } from "../../examples/demo/yaml-plugin-deployment";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { REPO_ROOT } from "../harness/test-stack";

const USER = { username: "yaml-user", password: ["yaml", "fake", "pw", String(process.pid)].join("-"), role: "manager" as const };

/** examples/yaml/Pulumi.yaml, run through the plugin as the engine would (what `npm run demo` shows). */
describe("examples/yaml through pulumi-resource-qualys", function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ users: [USER] });
  });
  after(async () => sim.close());

  it("up, quiet up, drift found by refresh, remediated, destroyed", async () => {
    const deployment = new YamlPluginDeployment(join(REPO_ROOT, "examples/yaml/Pulumi.yaml"), { qualysApiUrl: sim.url, qualysUsername: USER.username, qualysPassword: USER.password });
    const ops = (result: { steps: { op: string; urn: string; fields?: string[] }[]; errors: unknown[] }) => {
      assert.deepEqual(result.errors, []);
      return result.steps.map((s) => `${s.op} ${s.urn.split("::").pop()}${s.fields ? ` ${s.fields.join(",")}` : ""}`);
    };
    assert.deepEqual(ops(await deployment.up()), ["create linuxServers", "create windowsServers"]);
    const linux = sim.admin.listKeys().find((k) => k.title === "linux-servers")!;
    assert.deepEqual([linux.type, linux.countPurchased, linux.ownerId, [...linux.modules].sort()], ["COUNT_LIMITED", 500, 364812443, ["PC_LICENSE", "VM_LICENSE"]]);
    assert.equal(sim.admin.listKeys().find((k) => k.title === "windows-servers")!.suspendSelfPatch, true);
    assert.equal(deployment.outputs().linuxServersActivationKey, "[secret]");
    assert.equal(deployment.outputs().linuxServersKeyId, String(linux.id));
    assert.equal(new Set(sim.admin.requestLog().map((e) => e.user)).size, 1, "every call as the explicit provider's user");

    sim.admin.resetLog();
    assert.deepEqual(ops(await deployment.up()), ["same linuxServers", "same windowsServers"]);
    assert.equal(sim.admin.requestLog().length, 0, "a quiet up makes no API call");

    sim.admin.patchKey(linux.id, { ownerId: 999, modules: ["VM_LICENSE"] });
    assert.deepEqual(ops(await deployment.refresh({ previewOnly: true })), ["refresh-changed linuxServers ownerId,modules"]);
    assert.deepEqual(ops(await deployment.refresh()), ["refresh-changed linuxServers ownerId,modules"]);
    assert.deepEqual(ops(await deployment.up()), ["update linuxServers ownerId,modules", "same windowsServers"]);
    assert.equal(sim.admin.getKey(linux.id)!.ownerId, 364812443);
    assert.deepEqual(ops(await deployment.destroy()), ["delete linuxServers", "delete windowsServers"]);
    assert.equal(sim.admin.listKeys().length, 0);
  });
});
