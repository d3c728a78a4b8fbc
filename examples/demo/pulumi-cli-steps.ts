/**
 * The demo's steps run with the real `pulumi` CLI, for machines that have it on PATH. Everything
 * the CLI writes goes to a temporary directory: a local file backend, the stack's config file
 * (which `stack init` fills with the passphrase salt), and a throwaway passphrase generated for
 * this run, so the demo leaves nothing behind in the checkout. The project the CLI runs is written
 * into that directory: for the root program, the same Pulumi.yaml, a main that loads the compiled
 * program and the checkout's node_modules (where pulumi-qualys resolves to this repository); for
 * the YAML example, its Pulumi.yaml with `plugins.providers` naming the folder of the plugin.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CliRun {
  exitCode: number;
  output: string;
}

/** True when a `pulumi` executable answers `pulumi version`. */
export function pulumiCliAvailable(): boolean {
  const probe = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  return probe.status === 0;
}

/** The files of the project the CLI runs, and the node_modules folder it may need. */
export interface CliProject {
  /** File name (relative to the project) → content; must include Pulumi.yaml. */
  files: Record<string, string>;
  /** A node_modules folder to link into the project (Node programs). */
  nodeModules?: string;
}

/** The root program (examples/basic) as a CLI project. */
export function rootProgramProject(repoRoot: string): CliProject {
  const manifest = readFileSync(join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, "main: index.js");
  return {
    files: { "Pulumi.yaml": manifest, "index.js": `module.exports = require(${JSON.stringify(join(repoRoot, "dist/examples/basic/index.js"))});\n` },
    nodeModules: join(repoRoot, "node_modules"),
  };
}

/** A stack of a project on a local backend in a temporary directory. */
export class PulumiCliStack {
  private readonly dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-demo-"));
  private readonly env: NodeJS.ProcessEnv;
  private readonly configFile = join(this.dir, "Pulumi.demo.yaml");

  private readonly projectDir = join(this.dir, "project");

  constructor(project: CliProject) {
    mkdirSync(this.projectDir);
    for (const [name, content] of Object.entries(project.files)) writeFileSync(join(this.projectDir, name), content);
    if (project.nodeModules) symlinkSync(project.nodeModules, join(this.projectDir, "node_modules"), "dir");
    this.env = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${join(this.dir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    mkdirSync(join(this.dir, "state"));
  }

  /** A folder of this stack's temporary directory, for files the project refers to. */
  folder(name: string): string {
    const path = join(this.dir, name);
    mkdirSync(path, { recursive: true });
    return path;
  }

  /** Adds text at the end of the project's Pulumi.yaml (e.g. a `plugins` section). */
  appendToManifest(text: string): void {
    appendFileSync(join(this.projectDir, "Pulumi.yaml"), text);
  }

  /** Runs `pulumi <args>` for this stack and returns its exit code and output. */
  run(args: string[], input?: string): CliRun {
    const result = spawnSync("pulumi", [...args, "--stack", "demo", "--config-file", this.configFile, "--non-interactive"], {
      cwd: this.projectDir,
      env: this.env,
      encoding: "utf8",
      input,
    });
    return { exitCode: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
  }

  /** Creates the stack and sets its config; secret values go in through stdin. */
  init(config: { key: string; value: string; secret?: boolean }[]): void {
    const init = spawnSync("pulumi", ["stack", "init", "demo", "--non-interactive"], { cwd: this.projectDir, env: this.env, encoding: "utf8" });
    if (init.status !== 0) throw new Error(`pulumi stack init failed:\n${init.stdout}${init.stderr}`);
    for (const { key, value, secret } of config) {
      if (secret) this.mustRun(["config", "set", "--secret", key], value);
      else this.mustRun(["config", "set", key, value]);
    }
  }

  /** Removes the stack and the temporary directory. */
  dispose(): void {
    spawnSync("pulumi", ["stack", "rm", "demo", "--yes", "--force", "--non-interactive"], { cwd: this.projectDir, env: this.env });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private mustRun(args: string[], input?: string): void {
    const run = this.run(args, input);
    if (run.exitCode !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${run.output}`);
  }
}
