/**
 * The release archives of `pulumi-resource-qualys`, built ONCE per test process (the first test
 * that asks starts the build; the others wait for the same one), by the very command
 * `npm run plugin:tarball` runs after its build, into a temp folder removed at exit. A build is a
 * minute or two (three node binaries fetched once into node_modules/.cache, three ~120 MB
 * executables), so it runs in CI, where it must: set CI=true to run it by hand. The Node 22 leg
 * tests the packed npm package (TARBALL_ENV), not this checkout's build tools: no archives there.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { tmpdir } from "node:os";
import { isCi } from "./is-ci";
import { TARBALL_ENV } from "./packed-tarball";
import { installPluginArchive, pluginExecutable } from "./pulumi-plugin-install";
import { REPO_ROOT } from "./test-stack";

export interface BuiltArchives {
  /** The folder `plugin:tarball` wrote: the archives and SHA256SUMS. */
  dir: string;
  version: string;
  /** The archives' file names. */
  files: string[];
}

/** Whether this run builds and tests the archives (see above). */
export function archivesUnderTest(): boolean {
  return isCi() && !process.env[TARBALL_ENV];
}

let building: Promise<BuiltArchives> | undefined;
let installing: Promise<string> | undefined;

/** The archives of this checkout (dist/ built), built on first use. */
export function pluginArchives(): Promise<BuiltArchives> {
  building ??= build();
  return building;
}

/**
 * The linux-amd64 executable, installed once per run as `pulumi plugin install --file` installs
 * it, into a plugin folder that holds nothing else (~120 MB: one copy for every suite).
 */
export function installedExecutable(): Promise<string> {
  installing ??= pluginArchives().then(({ dir, version }) => {
    const pluginsDir = mkdtempSync(join(tmpdir(), "pulumi-plugins-"));
    process.once("exit", () => rmSync(pluginsDir, { recursive: true, force: true }));
    const installed = installPluginArchive(join(dir, `pulumi-resource-qualys-v${version}-linux-amd64.tar.gz`), pluginsDir, version);
    return pluginExecutable(installed.dir);
  });
  return installing;
}

async function build(): Promise<BuiltArchives> {
  const dir = mkdtempSync(join(tmpdir(), "pulumi-resource-qualys-archives-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  // The script is `npm run build && node dist/tools/plugin-archive/cli.js`: dist/ is built already (and in use).
  const command = scripts["plugin:tarball"]?.split(" && ").pop()?.split(" ") ?? [];
  if (command[0] !== "node") throw new Error(`plugin:tarball does not end with a node command: ${scripts["plugin:tarball"]}`);
  const child = spawn(process.execPath, [...command.slice(1), "--out", dir], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`plugin:tarball failed (${code}):\n${output}`);
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  return { dir, version, files: readdirSync(dir).filter((name) => name.endsWith(".tar.gz")).sort() };
}

/**
 * This environment with every PATH entry that holds a `node` left out: what a Python, Go, C# or
 * YAML user's machine without Node.js looks like to the plugin.
 */
export function envWithoutNode(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const hasNode = (dir: string): boolean =>
    ["node", "node.exe"].some((name) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  const path = (env.PATH ?? "").split(delimiter).filter((dir) => dir !== "" && !hasNode(dir));
  return { ...env, PATH: path.join(delimiter), NODE_PATH: "", NODE_OPTIONS: "" };
}
