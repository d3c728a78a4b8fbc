/**
 * Cold start of pulumi-resource-qualys, as the engine pays it at every `pulumi up` (one plugin
 * process per provider): from spawn to the port on stdout, and to the first answered Configure.
 * Two ways users run it: the npm package's bin (on the machine's Node.js) and the self-contained
 * executable of the release archive for this machine (taken from dist-plugin/ when
 * `npm run plugin:tarball` made it, else built into a temp folder first).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { grpc } from "../provider/engine/stub-modules";
import { callProvider, FakeEngine, struct } from "../provider/testing/fake-engine";
import { buildPluginArchives } from "../tools/plugin-archive/build";
import { archiveName, executableName, hostTarget } from "../tools/plugin-archive/targets";
import { medianBy } from "./tables";

const REPO_ROOT = join(__dirname, "..", "..");
const STARTS = 5;

export interface ColdStart {
  way: string;
  /** How many starts the medians are over. */
  starts: number;
  /** Medians over STARTS starts, ms. */
  toPortMs: number;
  toConfigureMs: number;
}

/** One start: spawn → port line → Configure answered, then an interrupt as the engine sends. */
async function startOnce(bin: string, env: NodeJS.ProcessEnv): Promise<{ toPortMs: number; toConfigureMs: number }> {
  const engine = await FakeEngine.start();
  const started = performance.now();
  const child = spawn(bin, [engine.address], { env, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`${bin} exited with ${code}`)));
    });
    const toPortMs = performance.now() - started;
    const client = new ResourceProviderClient(`127.0.0.1:${port.trim()}`, grpc.credentials.createInsecure());
    const request = new providerPb.ConfigureRequest().setArgs(struct({ apiUrl: "http://127.0.0.1:9", username: "bench", password: "bench-password" })).setAcceptsecrets(true);
    await callProvider(client, "configure", request);
    const toConfigureMs = performance.now() - started;
    client.close();
    return { toPortMs, toConfigureMs };
  } finally {
    child.kill("SIGINT");
    await engine.close();
  }
}

async function measure(way: string, bin: string, env: NodeJS.ProcessEnv): Promise<ColdStart> {
  const runs: { toPortMs: number; toConfigureMs: number }[] = [];
  for (let i = 0; i < STARTS; i++) runs.push(await startOnce(bin, env));
  const median = (values: number[]): number => medianBy(values, (value) => value);
  return { way, starts: STARTS, toPortMs: median(runs.map((r) => r.toPortMs)), toConfigureMs: median(runs.map((r) => r.toConfigureMs)) };
}

/** The self-contained executable for this machine, and a clean-up for what was built for the bench. */
async function executable(): Promise<{ bin: string; cleanUp: () => void }> {
  const target = hostTarget();
  if (!target) throw new Error(`no release target for ${process.platform}-${process.arch}`);
  const { version } = require(join(REPO_ROOT, "package.json")) as { version: string };
  const work = mkdtempSync(join(tmpdir(), "pulumi-qualys-bench-plugin-"));
  const cleanUp = (): void => rmSync(work, { recursive: true, force: true });
  let archive = join(REPO_ROOT, "dist-plugin", archiveName(version, target));
  if (!existsSync(archive)) {
    const built = await buildPluginArchives({ packageDir: REPO_ROOT, outDir: work, targets: [target.name], cacheDir: join(REPO_ROOT, "node_modules", ".cache", "pulumi-resource-qualys") });
    archive = built.archives[0]!.archive;
  }
  await new Promise<void>((resolve, reject) =>
    spawn("tar", ["-xzf", archive, "-C", work], { stdio: "inherit" }).once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tar exited with ${code}`)))),
  );
  return { bin: join(work, executableName(target)), cleanUp };
}

/** Both ways, STARTS starts each. */
export async function pluginColdStarts(): Promise<ColdStart[]> {
  const npmBin = join(REPO_ROOT, (require(join(REPO_ROOT, "package.json")) as { bin: Record<string, string> }).bin["pulumi-resource-qualys"]!);
  const results = [await measure(`npm bin (Node ${process.version})`, npmBin, process.env)];
  const { bin, cleanUp } = await executable();
  try {
    results.push(await measure("self-contained executable (Node 22 SEA)", bin, process.env));
  } finally {
    cleanUp();
  }
  return results;
}
