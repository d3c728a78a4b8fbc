/**
 * A Node single executable application (Node.js docs, "Single executable applications"): Node
 * turns the bundled script into a preparation blob (`--experimental-sea-config`), and postject
 * injects it into a copy of the target's `node` binary as the resource NODE_SEA_BLOB, flipping
 * the fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 that tells Node to run it. The blob is
 * made once, by a Node of the same version that runs here; without a code cache or snapshot it
 * does not depend on the platform, so the same blob goes into every target.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Target } from "./targets";

/** The fuse Node checks at start-up (Node.js docs, "Single executable applications", postject step). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/** Writes the preparation blob for `script` with `node` (a binary of the targets' version) and returns its path. */
export function seaBlob(node: string, script: string, workDir: string): string {
  const blob = join(workDir, "sea-prep.blob");
  const config = join(workDir, "sea-config.json");
  // No code cache or snapshot: both are specific to the platform that makes them.
  writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }));
  execFileSync(node, ["--experimental-sea-config", config], { cwd: workDir, stdio: "pipe" });
  return blob;
}

/** Copies `node` to `output` and injects `blob`: the executable for `target`. */
export async function injectBlob(node: string, blob: string, output: string, target: Target): Promise<void> {
  copyFileSync(node, output);
  chmodSync(output, 0o755);
  // macOS refuses a binary whose signature no longer matches: drop it before, sign ad hoc after.
  if (target.os === "darwin") execFileSync("codesign", ["--remove-signature", output]);
  const { inject } = require("postject") as { inject(file: string, name: string, data: Buffer, options: Record<string, unknown>): Promise<void> };
  await inject(output, "NODE_SEA_BLOB", readFileSync(blob), {
    sentinelFuse: SEA_FUSE,
    ...(target.os === "darwin" ? { machoSegmentName: "NODE_SEA" } : {}),
  });
  if (target.os === "darwin") execFileSync("codesign", ["--sign", "-", output]);
}
