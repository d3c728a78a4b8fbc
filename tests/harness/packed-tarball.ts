/**
 * The package as `npm publish` would ship it: the tarball of `npm pack`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { REPO_ROOT } from "./test-stack";

/**
 * Set by the Node 22 and 24 legs (tests/support-matrix/run-node-legs.ts) to the tarball it installed, so
 * its tests look at the very file under test; the leg's directory is no repository to pack.
 */
export const TARBALL_ENV = "PULUMI_QUALYS_TARBALL";

/**
 * Packs `packageDir` into `destDir` and returns the tarball's path. `--ignore-scripts`: `prepare`
 * rebuilds dist/, which must not happen under a running test suite; the caller builds first.
 */
export function npmPack(packageDir: string, destDir: string): string {
  execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", destDir, "--silent"], { cwd: packageDir, stdio: "pipe" });
  const tarball = readdirSync(destDir).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no .tgz into ${destDir}`);
  return join(destDir, tarball);
}

/** A tarball of the package under test in `destDir`: the leg's ({@link TARBALL_ENV}), else a fresh pack of the repository. */
export function packedTarball(destDir: string): string {
  const given = process.env[TARBALL_ENV];
  if (!given) return npmPack(REPO_ROOT, destDir);
  const copy = join(destDir, basename(given));
  copyFileSync(given, copy);
  return copy;
}
