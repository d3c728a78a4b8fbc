/**
 * The demo's steps run with the real `pulumi` CLI, for machines that have it on PATH. Everything
 * the CLI writes goes to a temporary directory: a local file backend, the stack's config file
 * (which `stack init` fills with the passphrase salt), and a throwaway passphrase generated for
 * this run, so the demo leaves nothing behind in the checkout. The project the CLI runs is a mirror
 * of the root one in that directory: the same Pulumi.yaml, a main that loads the compiled root
 * program, and the checkout's node_modules (where pulumi-qualys resolves to this repository).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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

/** A stack of the root program on a local backend in a temporary directory. */
export class PulumiCliStack {
  private readonly dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-demo-"));
  private readonly env: NodeJS.ProcessEnv;
  private readonly configFile = join(this.dir, "Pulumi.demo.yaml");

  private readonly projectDir = join(this.dir, "project");

  constructor(repoRoot: string) {
    mkdirSync(this.projectDir);
    const manifest = readFileSync(join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, "main: index.js");
    writeFileSync(join(this.projectDir, "Pulumi.yaml"), manifest);
    writeFileSync(join(this.projectDir, "index.js"), `module.exports = require(${JSON.stringify(join(repoRoot, "dist/examples/basic/index.js"))});\n`);
    symlinkSync(join(repoRoot, "node_modules"), join(this.projectDir, "node_modules"), "dir");
    this.env = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${join(this.dir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    mkdirSync(join(this.dir, "state"));
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

  /** Creates the stack and points it at the simulator; the password goes in as a secret via stdin. */
  init(config: { apiUrl: string; username: string; password: string }): void {
    const init = spawnSync("pulumi", ["stack", "init", "demo", "--non-interactive"], { cwd: this.projectDir, env: this.env, encoding: "utf8" });
    if (init.status !== 0) throw new Error(`pulumi stack init failed:\n${init.stdout}${init.stderr}`);
    this.mustRun(["config", "set", "qualys:apiUrl", config.apiUrl]);
    this.mustRun(["config", "set", "qualys:username", config.username]);
    this.mustRun(["config", "set", "--secret", "qualys:password"], config.password);
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
