/**
 * The plugin suites run once per way users run `pulumi-resource-qualys`: the npm package's bin (on
 * Node), and, where the archives are under test (CI, tests/harness/plugin-archives.ts), the
 * self-contained executable of the linux-amd64 archive, installed as `pulumi plugin install --file`
 * installs it and started with no `node` on PATH. Suites register with describeEachPlugin and
 * start their plugins with startPlugin, which follows the suite being run.
 */
import { PluginProcess, type PluginOptions } from "pulumi-qualys/testing";
import { archivesUnderTest, envWithoutNode, installedExecutable } from "./plugin-archives";

/** The executable and environment of the suite being run; undefined: the npm bin, this process's environment. */
let launch: { bin: string; env: NodeJS.ProcessEnv } | undefined;

/** `describe`, once for the npm bin and once more for the self-contained executable where it is under test. */
export function describeEachPlugin(title: string, body: (this: Mocha.Suite) => void): void {
  describe(title, body);
  if (!archivesUnderTest() || process.platform !== "linux" || process.arch !== "x64") return;
  describe(`${title} (self-contained executable, no node on PATH)`, function () {
    before(async function () {
      this.timeout(600_000); // the first suite to get here builds the archives for the whole run
      launch = { bin: await installedExecutable(), env: envWithoutNode() };
    });
    after(() => (launch = undefined));
    body.call(this);
  });
}

/** PluginProcess.start, with the executable of the suite being run unless `options.bin` names one. */
export function startPlugin(options: PluginOptions = {}): Promise<PluginProcess> {
  if (!launch) return PluginProcess.start(options);
  return PluginProcess.start({ ...options, bin: options.bin ?? launch.bin, env: { ...launch.env, ...options.env } });
}
