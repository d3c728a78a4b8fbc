/**
 * Builds the tarball that `pulumi plugin install resource qualys <version> --file <tarball>`
 * installs into the engine's plugin cache (~/.pulumi/plugins/resource-qualys-v<version>/), where
 * the engine looks for an executable named `pulumi-resource-qualys`
 * (docs/pulumi-native-provider.md, "Packaging"). Like pulumi/pulumi-eks's Node provider,
 * the plugin is this npm package plus a launcher; the machine running `pulumi` needs Node.js.
 *
 * Contents, at the tarball's root:
 *   pulumi-resource-qualys        `exec node <package>/dist/provider/plugin/main.js "$@"`
 *   pulumi-resource-qualys.cmd    the same for Windows (the engine tries .exe, then .cmd)
 *   package.json, node_modules/   pulumi-qualys as `npm pack` ships it, with its production
 *                                 dependencies and the @pulumi/pulumi it is installed with
 *
 * `npm run plugin:tarball [-- <outDir>]` in the repository; from an installed package:
 * `node node_modules/pulumi-qualys/dist/provider/plugin/build-plugin-tarball.js <outDir>`.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** The launcher's path inside the package, as npm installs it under node_modules. */
const ENTRY = "node_modules/pulumi-qualys/dist/provider/plugin/main.js";

interface PluginTarballOptions {
  /** The pulumi-qualys package to ship: a checkout with dist/ built, or an installed copy. */
  packageDir: string;
  /** Where the tarball is written. */
  outDir: string;
}

/** Builds the tarball and returns its path: `<outDir>/pulumi-resource-qualys-v<version>.tar.gz`. */
export function buildPluginTarball(options: PluginTarballOptions): string {
  const packageDir = resolve(options.packageDir);
  const { version } = require(join(packageDir, "package.json")) as { version: string };
  // The @pulumi/pulumi the package runs with here: the plugin needs its gRPC stubs at run time.
  const pulumiVersion = (require(require.resolve("@pulumi/pulumi/package.json", { paths: [packageDir] })) as { version: string }).version;
  const staging = mkdtempSync(join(tmpdir(), "pulumi-resource-qualys-"));
  try {
    // --ignore-scripts: packing must not rebuild dist/ (a `prepare` script would).
    execFileSync("npm", ["pack", packageDir, "--ignore-scripts", "--pack-destination", staging, "--silent"], { stdio: "pipe" });
    const packed = readdirSync(staging).find((file) => file.endsWith(".tgz"));
    if (!packed) throw new Error(`npm pack wrote no tarball for ${packageDir}`);
    writeFileSync(
      join(staging, "package.json"),
      `${JSON.stringify({ name: "pulumi-resource-qualys", version, private: true, dependencies: { "pulumi-qualys": `file:./${packed}`, "@pulumi/pulumi": pulumiVersion } }, null, 2)}\n`,
    );
    execFileSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: staging, stdio: "pipe" });
    rmSync(join(staging, packed));
    writeExecutable(join(staging, "pulumi-resource-qualys"), `#!/bin/sh\nexec node "$(dirname "$0")/${ENTRY}" "$@"\n`);
    writeExecutable(join(staging, "pulumi-resource-qualys.cmd"), `@node "%~dp0${ENTRY.replace(/\//g, "\\")}" %*\r\n`);
    mkdirSync(options.outDir, { recursive: true });
    const tarball = join(resolve(options.outDir), `pulumi-resource-qualys-v${version}.tar.gz`);
    execFileSync("tar", ["-czf", tarball, "-C", staging, "."], { stdio: "pipe" });
    return tarball;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

if (require.main === module) {
  const outDir = process.argv[2] ?? "dist-plugin";
  const tarball = buildPluginTarball({ packageDir: dirname(require.resolve("pulumi-qualys/package.json")), outDir });
  const { version } = require("pulumi-qualys/package.json") as { version: string };
  process.stdout.write(`${tarball}\ninstall it with: pulumi plugin install resource qualys ${version} --file ${tarball}\n`);
}
