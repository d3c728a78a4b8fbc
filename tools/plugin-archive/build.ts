/**
 * `npm run plugin:tarball`: the archives `pulumi plugin install resource qualys <version>` and
 * `pulumi package add qualys` download from the release (the schema's pluginDownloadURL), one per
 * target, each holding a self-contained `pulumi-resource-qualys` (a Node single executable
 * application: no Node.js needed on the machine that runs `pulumi`), plus SHA256SUMS.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundlePlugin, type Bundle } from "./bundle";
import { nodeBinary } from "./node-binaries";
import { injectBlob, seaBlob } from "./sea";
import { writeSingleFileTarGz } from "./tar-gz";
import { archiveName, executableName, hostTarget, NODE_VERSION, targetNamed, type Target } from "./targets";

export interface PluginArchiveOptions {
  /** The pulumi-qualys checkout, with dist/ built by tsc. */
  packageDir: string;
  /** Where the archives and SHA256SUMS are written. */
  outDir: string;
  /** Target names (`linux-amd64`, ...). */
  targets: readonly string[];
  /** Where the node binaries fetched from the npm registry are kept between builds. */
  cacheDir: string;
  /** A `node` of version NODE_VERSION for this machine's own target, used instead of the npm package (darwin-arm64 has none). */
  node?: string;
}

export interface BuiltArchive {
  target: Target;
  archive: string;
  /** The archive's size, and the executable's inside it. */
  bytes: number;
  executableBytes: number;
}

export interface PluginArchives {
  version: string;
  bundle: Bundle;
  archives: BuiltArchive[];
  checksums: string;
}

export async function buildPluginArchives(options: PluginArchiveOptions): Promise<PluginArchives> {
  const packageDir = resolve(options.packageDir);
  const { version } = require(join(packageDir, "package.json")) as { version: string };
  const targets = options.targets.map(targetNamed);
  const host = hostTarget();
  const nodeFor = (target: Target): string => (options.node && target === host ? options.node : nodeBinary(target, options.cacheDir));
  if (!host && !options.node) throw new Error(`No Node ${NODE_VERSION} package for this machine (${process.platform}-${process.arch}): pass one with --node.`);
  const blobNode = options.node ?? nodeFor(host!);
  const blobNodeVersion = execFileSync(blobNode, ["--version"], { encoding: "utf8" }).trim();
  if (blobNodeVersion !== `v${NODE_VERSION}`) throw new Error(`${blobNode} is Node ${blobNodeVersion}; the executables are built on v${NODE_VERSION}, and the blob must come from the same version.`);

  const work = mkdtempSync(join(tmpdir(), "pulumi-resource-qualys-build-"));
  try {
    const bundle = await bundlePlugin(packageDir, join(work, "pulumi-resource-qualys.js"));
    const blob = seaBlob(blobNode, bundle.file, work);
    mkdirSync(options.outDir, { recursive: true });
    const archives: BuiltArchive[] = [];
    for (const target of targets) {
      const executable = join(work, target.name, executableName(target));
      mkdirSync(join(work, target.name));
      await injectBlob(nodeFor(target), blob, executable, target);
      const archive = join(resolve(options.outDir), archiveName(version, target));
      await writeSingleFileTarGz(executable, executableName(target), archive);
      archives.push({ target, archive, bytes: statSync(archive).size, executableBytes: statSync(executable).size });
      rmSync(executable); // ~120 MB each: keep the disk free as the next one is built
    }
    return { version, bundle, archives, checksums: await writeChecksums(options.outDir, version) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * SHA256SUMS over every archive of `version` in `outDir`, in `sha256sum -c` format. The release
 * workflow runs it again once the macOS runners' archives join the others.
 */
export async function writeChecksums(outDir: string, version: string): Promise<string> {
  const prefix = `pulumi-resource-qualys-v${version}-`;
  const names = readdirSync(outDir).filter((name) => name.startsWith(prefix) && name.endsWith(".tar.gz")).sort();
  const lines: string[] = [];
  for (const name of names) lines.push(`${await sha256(join(outDir, name))}  ${name}`);
  const file = join(outDir, "SHA256SUMS");
  writeFileSync(file, lines.map((line) => `${line}\n`).join(""));
  return file;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
