/**
 * npm run plugin:tarball [-- --out <dir>] [--targets linux-amd64,linux-arm64,windows-amd64] [--node <path>]
 * npm run plugin:checksums [-- --out <dir>]
 *
 * Builds the release archives of pulumi-resource-qualys (build.ts) from this checkout's dist/.
 * Default: dist-plugin/, the three targets a Linux machine can build; the darwin ones are built on
 * macOS (.github/workflows/release.yml). `--checksums-only` rewrites SHA256SUMS over the archives
 * already in the folder.
 */
import { join, resolve } from "node:path";
import { buildPluginArchives, writeChecksums } from "./build";
import { DEFAULT_TARGET_NAMES } from "./targets";

const REPO_ROOT = resolve(__dirname, "..", "..", "..");

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const outDir = resolve(option("out") ?? join(REPO_ROOT, "dist-plugin"));
  const { version } = require(join(REPO_ROOT, "package.json")) as { version: string };
  if (process.argv.includes("--checksums-only")) {
    process.stdout.write(`${await writeChecksums(outDir, version)}\n`);
    return;
  }
  const started = Date.now();
  const built = await buildPluginArchives({
    packageDir: REPO_ROOT,
    outDir,
    targets: option("targets")?.split(",") ?? DEFAULT_TARGET_NAMES,
    cacheDir: join(REPO_ROOT, "node_modules", ".cache", "pulumi-resource-qualys"),
    node: option("node"),
  });
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  process.stdout.write(`bundle: ${mb(built.bundle.bytes)} (${built.bundle.packages.join(", ")})\n`);
  for (const { archive, bytes, executableBytes } of built.archives) process.stdout.write(`${archive}: ${mb(bytes)} (executable ${mb(executableBytes)})\n`);
  process.stdout.write(`${built.checksums}\n${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const host = built.archives[0];
  if (host) process.stdout.write(`install one with: pulumi plugin install resource qualys ${built.version} --file ${host.archive}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`plugin:tarball failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
