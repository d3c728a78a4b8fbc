import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildPluginTarball } from "../../provider/plugin/build-plugin-tarball";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { PLUGIN_URN_PREFIX, PluginProcess, secret } from "pulumi-qualys/testing";
import { SIM_USER } from "../harness/test-stack";

/**
 * The README's `pulumi plugin install resource qualys <version> --file <tarball>`: the tarball
 * `npm run plugin:tarball` builds, unpacked as that command unpacks it into the plugin cache
 * (a folder `resource-qualys-v<version>`), and its `pulumi-resource-qualys` started by the engine.
 */
describe("plugin tarball for `pulumi plugin install --file` (slow: packs, then npm install)", function () {
  this.timeout(300_000);
  // The package under test: the checkout (self-linked), or the installed tarball in the Node 22 leg.
  const packageJson = require.resolve("pulumi-qualys/package.json");
  const version = (require(packageJson) as { version: string }).version;
  let dir: string;
  let pluginDir: string;
  let sim: RunningSimulator | undefined;
  let plugin: PluginProcess | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-plugin-cache-"));
    const tarball = buildPluginTarball({ packageDir: dirname(packageJson), outDir: dir });
    assert.equal(tarball, join(dir, `pulumi-resource-qualys-v${version}.tar.gz`));
    pluginDir = join(dir, "plugins", `resource-qualys-v${version}`);
    mkdirSync(pluginDir, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", pluginDir]);
  });
  after(async () => {
    await plugin?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds an executable pulumi-resource-qualys that serves the installed package, version included", async () => {
    const bin = join(pluginDir, "pulumi-resource-qualys");
    accessSync(bin, constants.X_OK);
    sim = await startSimulator();
    // No repository on the way: the plugin runs from the unpacked folder only.
    plugin = await PluginProcess.start({ bin, env: { NODE_PATH: "" } });
    assert.equal(await plugin.getPluginInfo(), version);
    assert.equal(JSON.parse(await plugin.getSchema()).name, "qualys");
    await plugin.configure({ apiUrl: sim.url, username: SIM_USER.username, password: secret(SIM_USER.password) });
    const { inputs } = await plugin.check(`${PLUGIN_URN_PREFIX}packed`, {}, { title: "packed", modules: ["VM_LICENSE"] });
    const created = await plugin.create(`${PLUGIN_URN_PREFIX}packed`, inputs);
    assert.equal(sim.admin.getKey(Number(created.id))?.title, "packed");
    await plugin.delete(`${PLUGIN_URN_PREFIX}packed`, created.id, created.outputs);
    assert.equal(sim.admin.listKeys().length, 0);
  });
});
