import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archivesUnderTest, envWithoutNode, installedExecutable, pluginArchives, type BuiltArchives } from "../harness/plugin-archives";
import { PluginProcess } from "pulumi-qualys/testing";
import { installPluginArchive, pluginExecutable } from "../harness/pulumi-plugin-install";
import { REPO_ROOT } from "../harness/test-stack";

/** What `pulumi plugin install` / `pulumi package add` download: `pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz`. */
const TARGETS = ["linux-amd64", "linux-arm64", "windows-amd64"];

/** The fuse of a Node single executable application, flipped to 1 once the blob is injected (Node.js docs). */
const FUSE_SET = Buffer.from("NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1");

/**
 * The release archives `npm run plugin:tarball` writes, unpacked as the Pulumi CLI unpacks them.
 * CI only (tests/harness/plugin-archives.ts): the build is shared with the executable's lifecycle
 * suites, so it happens once per run.
 */
describe("release archives of pulumi-resource-qualys (CI only: built once per run)", function () {
  this.timeout(600_000);
  let built: BuiltArchives;
  let pluginsDir: string;
  let plugin: PluginProcess | undefined;

  before(async function () {
    if (!archivesUnderTest()) this.skip();
    built = await pluginArchives();
    pluginsDir = mkdtempSync(join(tmpdir(), "pulumi-plugins-"));
  });
  after(async () => {
    await plugin?.close();
    if (pluginsDir) rmSync(pluginsDir, { recursive: true, force: true });
  });

  it("are named as the CLI downloads them, one per target, listed in SHA256SUMS with their real digests", () => {
    assert.deepEqual(built.files, TARGETS.map((t) => `pulumi-resource-qualys-v${built.version}-${t}.tar.gz`).sort());
    const sums = readFileSync(join(built.dir, "SHA256SUMS"), "utf8");
    const expected = built.files.map((name) => `${createHash("sha256").update(readFileSync(join(built.dir, name))).digest("hex")}  ${name}\n`).join("");
    assert.equal(sums, expected, "sha256sum -c format, every archive");
    // The release workflow's `npm run plugin:checksums`, once every runner's archives are together.
    const scripts = (require("pulumi-qualys/package.json") as { scripts: Record<string, string> }).scripts;
    const [node, ...args] = scripts["plugin:checksums"]!.split(" ");
    assert.equal(node, "node");
    execFileSync(process.execPath, [...args, "--out", built.dir], { cwd: REPO_ROOT });
    assert.equal(readFileSync(join(built.dir, "SHA256SUMS"), "utf8"), expected);
  });

  for (const target of TARGETS) {
    it(`${target}: one executable at the archive's root, mode 0755, for the right platform, the blob injected`, () => {
      const exe = target.startsWith("windows") ? "pulumi-resource-qualys.exe" : "pulumi-resource-qualys";
      const installed = installPluginArchive(join(built.dir, `pulumi-resource-qualys-v${built.version}-${target}.tar.gz`), join(pluginsDir, target), built.version);
      assert.deepEqual(installed.entries, [{ name: exe, type: "0", mode: 0o755 }], "no ./ entry, no folder, nothing else");
      const path = join(installed.dir, exe);
      assert.equal(pluginExecutable(installed.dir, target.startsWith("windows") ? "win32" : "linux"), path, "the file the engine looks for");
      assert.equal(statSync(path).mode & 0o777, 0o755);
      const bytes = readFileSync(path);
      if (target.startsWith("windows")) assert.equal(bytes.toString("latin1", 0, 2), "MZ", "a PE executable");
      else {
        assert.equal(bytes.toString("latin1", 0, 4), "\x7fELF");
        assert.equal(bytes.readUInt16LE(18), target.endsWith("arm64") ? 0xb7 : 0x3e, "ELF machine: aarch64 or x86-64");
      }
      assert.ok(bytes.includes(FUSE_SET), "a single executable application, not a plain node");
      rmSync(join(pluginsDir, target), { recursive: true, force: true });
    });
  }

  it("linux-amd64 starts from its install folder with no node on PATH, and reports the package version", async function () {
    if (process.platform !== "linux" || process.arch !== "x64") this.skip();
    plugin = await PluginProcess.start({ bin: await installedExecutable(), env: envWithoutNode() });
    assert.equal(await plugin.getPluginInfo(), built.version);
    const schema = JSON.parse(await plugin.getSchema()) as { name: string; version: string; pluginDownloadURL: string };
    assert.equal(schema.name, "qualys");
    assert.equal(schema.version, built.version);
    assert.match(schema.pluginDownloadURL, /^github:\/\/api\.github\.com\//);
  });
});
