/**
 * `npm run demo`: the main job. Starts the embedded Qualys simulator and walks the root program
 * (examples/basic) through a key's life: create, a quiet second run, drift after an out-of-band
 * change, remediation and destroy, printing the API calls each step made.
 *
 * With the real `pulumi` CLI on PATH it runs the CLI (local file backend in a temporary
 * directory). Without it, the same program runs through the engine's own provider protocol: the
 * real dynamic-provider host over gRPC, driven by the harness the tests use.
 *
 * After the quiet second run, the CrossGuard pack examples/policy-pack analyses the deployed keys
 * (with the CLI: `pulumi preview --policy-pack`; without: the pack started as the engine starts it
 * and driven over gRPC, as `pulumi policy analyze` does).
 * Then a rotation (rotationTrigger) of a key with agents attached, through the same host.
 *
 * Then the same life for the Pulumi YAML program examples/yaml, served by the native plugin
 * pulumi-resource-qualys: with the CLI (the plugin named in `plugins.providers`), or over gRPC as
 * the engine drives the plugin (examples/demo/yaml-plugin-deployment.ts).
 */
import { readFileSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { ACTIVATION_KEY_TYPE, describeFieldDrift, DynamicProviderHost, pluginBin, ProgramUnderMocks, serializedProvider, simulatorConfig, type RunResult } from "../../provider/testing";
import { PulumiCliStack, pulumiCliAvailable, rootProgramProject, type CliProject } from "./pulumi-cli-steps";
import { analyzeWithExamplePack } from "./policy-analysis";
import { YamlPluginDeployment } from "./yaml-plugin-deployment";

const REPO_ROOT = resolve(__dirname, "../../..");

async function main(): Promise<void> {
  const sim = await startSimulator({ rateLimit: { limit: 300, windowSec: 3600 }, concurrencyLimit: 2, latencyMs: 5 });
  console.log(`pulumi-qualys demo — embedded Qualys simulator at ${sim.url} (300 calls/hour, 2 concurrent)\n`);
  try {
    if (pulumiCliAvailable()) {
      console.log("Using the pulumi CLI on PATH (local file backend in a temporary directory).\n");
      await withPulumiCli(sim, rootProgramProject(REPO_ROOT), "qualys:");
      console.log("\nThe same keys from Pulumi YAML (examples/yaml) through the native plugin pulumi-resource-qualys:\n");
      await withPulumiCli(sim, yamlProject(), "qualys", (stack) => pluginFolder(stack));
    } else {
      await withEngineProtocol(sim);
      await withPluginProtocol(sim);
    }
  } finally {
    await sim.close();
  }
}

/** API calls the simulator counted since the last step, e.g. "create 2, get 1". */
function callsSince(sim: RunningSimulator): string {
  const counts = Object.entries(sim.admin.callCounts()).filter(([name, n]) => n > 0 && name !== "auth");
  sim.admin.resetLog();
  return counts.length === 0 ? "none" : counts.map(([name, n]) => `${name} ${n}`).join(", ");
}

/** One step (numbered, or "" for a check beside the numbered life): its outcome lines, then the API calls it made, aligned under the outcome. */
function step(number: number | "", title: string, outcome: string, sim: RunningSimulator): void {
  const indent = `\n${" ".repeat(43)}`;
  const label = number === "" ? "    " : `${String(number).padStart(2)}. `;
  console.log(`${label}${title.padEnd(38)} ${outcome.split("\n").join(indent)}${indent}API calls: ${callsSince(sim)}`);
}

function outOfBandChange(sim: RunningSimulator): string {
  const key = sim.admin.listKeys().find((k) => k.title === "linux-servers");
  if (!key) throw new Error("linux-servers was not created");
  sim.admin.patchKey(key.id, { ownerId: 999, modules: ["VM_LICENSE"] });
  return `linux-servers: ownerId → 999, PC_LICENSE removed`;
}

async function withEngineProtocol(sim: RunningSimulator): Promise<void> {
  console.log("No `pulumi` CLI on PATH: running examples/basic through the engine's provider protocol");
  console.log("(the real @pulumi/pulumi dynamic-provider host over gRPC, one host per operation).\n");
  const config = simulatorConfig(sim);
  const program = new ProgramUnderMocks(() => DynamicProviderHost.start({ projectDir: REPO_ROOT, config }), join(REPO_ROOT, "dist/examples/basic/index.js"));
  sim.admin.resetLog();
  step(1, "pulumi up", describe(await program.up()), sim);
  step(2, "pulumi up (nothing changed)", describe(await program.up()), sim);
  // The policy pack against the deployed keys, as the scheduled job of examples/gitops runs it.
  step("", "pulumi policy analyze --policy-pack", (await analyzeWithExamplePack([...program.state.values()])).join("\n") || "no findings", sim);
  step(3, "someone edits a key in Qualys", outOfBandChange(sim), sim);
  // The same commands as the CLI path below: the drift job leaves state alone, `up --refresh` repairs.
  step(4, "pulumi refresh --preview-only (drift)", describe(await program.refresh({ previewOnly: true })), sim);
  step(5, "pulumi up --refresh (remediate)", describe(await upWithRefresh(program)), sim);
  step(6, "pulumi destroy", describe(await program.destroy()), sim);
  console.log(`\nKeys left in the simulator: ${sim.admin.listKeys().length}`);
  await rotation(sim, config);
}

/**
 * Rotating a key that agents use (README, "Rotating a key"): the engine's steps for a change of
 * `rotationTrigger` (check, diff: a replacement; create the new key; delete the old one), through
 * the real dynamic-provider host, on a key with 3 agents attached.
 */
async function rotation(sim: RunningSimulator, config: Record<string, string>): Promise<void> {
  console.log("\nRotating a key with agents attached (rotationTrigger), through the same host:\n");
  const host = await DynamicProviderHost.start({ projectDir: REPO_ROOT, config });
  try {
    const urn = `urn:pulumi:demo::pulumi-qualys-demo::${ACTIVATION_KEY_TYPE}::web-fleet`;
    // The `__provider` text dynamic.Resource sends with every input (@pulumi/pulumi/dynamic).
    const providerText = await serializedProvider();
    const declared = (rotationTrigger: string) => ({ title: "web-fleet", modules: ["VM_LICENSE"], rotationTrigger, __provider: providerText });
    const first = await host.check(urn, {}, declared("2026-12"));
    const old = await host.create(urn, first.inputs);
    sim.admin.attachAgents(Number(old.id), 3);
    const state = (await host.read(urn, old.id, old.outputs)).outputs;
    step(1, "pulumi up (web-fleet, 3 agents enrol)", `created web-fleet (key ${old.id}), ${String(state.countUsed)} agents`, sim);
    const checked = await host.check(urn, first.inputs, declared("2027-01"));
    const diff = await host.diff(urn, old.id, state, checked.inputs);
    const created = await host.create(urn, (await host.check(urn, {}, declared("2027-01"))).inputs);
    await host.delete(urn, old.id, state);
    const key = sim.admin.listKeys().filter((k) => k.title.startsWith("web-fleet"));
    step(
      2,
      "rotationTrigger 2026-12 → 2027-01; up",
      `replaced (${diff.replaces.join(", ")}): key ${old.id} → ${created.id}, a new activationKey: ${String(created.outputs.activationKey !== old.outputs.activationKey)}\n` +
        `keys titled web-fleet: ${key.length}; agents on the new key: ${sim.admin.getKey(Number(created.id))?.countUsed ?? 0}; old key left: ${String(sim.admin.getKey(Number(old.id)) !== undefined)}`,
      sim,
    );
    sim.admin.detachAgents(Number(created.id));
    await host.delete(urn, created.id, created.outputs);
  } finally {
    await host.close();
  }
}

/** `pulumi up --refresh`: a refresh, then an up against the refreshed state. */
async function upWithRefresh(program: ProgramUnderMocks): Promise<RunResult> {
  const refreshed = await program.refresh();
  const updated = await program.up();
  return { steps: [...refreshed.steps, ...updated.steps], errors: [...refreshed.errors, ...updated.errors] };
}

function describe(result: RunResult): string {
  const name = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
  const parts: string[] = [];
  const by = (op: string) => result.steps.filter((s) => s.op === op);
  // In the order the engine works: refresh first, then the changes.
  // Fields by name: the dynamic host and the plugin report them in different orders, and both halves should read alike.
  for (const s of by("refresh-changed")) {
    for (const d of [...(s.drift ?? [])].sort((a, b) => a.field.localeCompare(b.field))) parts.push(`DRIFT ${name(s.urn)} ${describeFieldDrift(d)}`);
  }
  for (const s of by("refresh-deleted")) parts.push(`DRIFT ${name(s.urn)} deleted`);
  if (by("create").length) parts.push(`created ${by("create").map((s) => name(s.urn)).join(", ")}`);
  for (const s of by("update")) parts.push(`updated ${name(s.urn)} (${s.fields?.join(", ")})`);
  if (by("delete").length) parts.push(`deleted ${by("delete").map((s) => name(s.urn)).join(", ")}`);
  for (const e of result.errors) parts.push(`ERROR ${name(e.urn)}: ${e.message}`);
  return parts.length ? parts.join("\n") : "no changes";
}

/**
 * The CLI steps for one project. `prefix` is where the subscription goes in the stack config:
 * `qualys:` settings for the root program, `qualysApiUrl`-style program config for the YAML one.
 */
async function withPulumiCli(sim: RunningSimulator, project: CliProject, prefix: string, prepare?: (stack: PulumiCliStack) => void): Promise<void> {
  const stack = new PulumiCliStack(project);
  try {
    prepare?.(stack);
    const key = (name: string): string => (prefix.endsWith(":") ? `${prefix}${name}` : `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}`);
    const config = simulatorConfig(sim);
    stack.init([
      { key: key("apiUrl"), value: sim.url },
      { key: key("username"), value: config["qualys:username"]! },
      { key: key("password"), value: config["qualys:password"]!, secret: true },
    ]);
    sim.admin.resetLog();
    const show = (number: number | "", title: string, args: string[]): number => {
      const run = stack.run(args);
      console.log(run.output.trim().split("\n").map((l) => `      ${l}`).join("\n"));
      step(number, title, `exit code ${run.exitCode}`, sim);
      return run.exitCode;
    };
    if (show(1, "pulumi up", ["up", "--yes"]) !== 0) throw new Error("pulumi up failed");
    show(2, "pulumi up --expect-no-changes", ["up", "--yes", "--expect-no-changes"]);
    if (prefix.endsWith(":")) show("", "pulumi preview --policy-pack examples/policy-pack", ["preview", "--policy-pack", join(REPO_ROOT, "examples/policy-pack")]);
    step(3, "someone edits a key in Qualys", outOfBandChange(sim), sim);
    show(4, "pulumi refresh --preview-only --expect-no-changes", ["refresh", "--preview-only", "--expect-no-changes"]);
    show(5, "pulumi up --refresh (remediate)", ["up", "--yes", "--refresh"]);
    show(6, "pulumi destroy", ["destroy", "--yes"]);
    console.log(`\nKeys left in the simulator: ${sim.admin.listKeys().length}`);
  } finally {
    stack.dispose();
  }
}

/** examples/yaml as a CLI project; its `plugins.providers` entry is added by pluginFolder. */
function yamlProject(): CliProject {
  return { files: { "Pulumi.yaml": readFileSync(join(REPO_ROOT, "examples/yaml/Pulumi.yaml"), "utf8") } };
}

/** A folder holding pulumi-resource-qualys (this checkout's bin), named in the project's `plugins.providers`. */
function pluginFolder(stack: PulumiCliStack): void {
  const folder = stack.folder("plugin");
  symlinkSync(pluginBin(), join(folder, "pulumi-resource-qualys"));
  stack.appendToManifest(`\nplugins:\n  providers:\n    - name: qualys\n      path: ${JSON.stringify(folder)}\n`);
}

/** examples/yaml through the plugin over gRPC, as the engine drives it: one plugin process per operation. */
async function withPluginProtocol(sim: RunningSimulator): Promise<void> {
  console.log("\nThe same keys from Pulumi YAML (examples/yaml) through the native plugin pulumi-resource-qualys,");
  console.log("started as the engine starts it and driven over gRPC (one plugin process per operation).\n");
  const config = simulatorConfig(sim);
  const deployment = new YamlPluginDeployment(join(REPO_ROOT, "examples/yaml/Pulumi.yaml"), {
    qualysApiUrl: sim.url,
    qualysUsername: config["qualys:username"]!,
    qualysPassword: config["qualys:password"]!,
  });
  sim.admin.resetLog();
  step(1, "pulumi up", describe(await deployment.up()), sim);
  console.log(`    outputs: ${JSON.stringify(deployment.outputs())}`);
  step(2, "pulumi up (nothing changed)", describe(await deployment.up()), sim);
  step(3, "someone edits a key in Qualys", outOfBandChange(sim), sim);
  step(4, "pulumi refresh --preview-only (drift)", describe(await deployment.refresh({ previewOnly: true })), sim);
  const refreshed = await deployment.refresh();
  const updated = await deployment.up();
  step(5, "pulumi up --refresh (remediate)", describe({ steps: [...refreshed.steps, ...updated.steps], errors: [...refreshed.errors, ...updated.errors] }), sim);
  step(6, "pulumi destroy", describe(await deployment.destroy()), sim);
  console.log(`\nKeys left in the simulator: ${sim.admin.listKeys().length}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
