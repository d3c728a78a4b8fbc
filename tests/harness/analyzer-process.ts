/**
 * Drives a CrossGuard policy pack as the Pulumi engine does (pulumi/pulumi,
 * sdk/go/common/resource/plugin/analyzer_plugin.go `NewPolicyAnalyzer`). For a `runtime: nodejs`
 * pack the engine runs its `pulumi-analyzer-policy` script, which resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack's folder and runs it with node, in that folder,
 * with two arguments, the engine's address and `.`, and the stack named in `PULUMI_*` variables.
 * The pack's PolicyPack prints its gRPC port on stdout. The engine then calls Handshake (a pack
 * that does not implement it answers UNIMPLEMENTED, and the engine goes on), ConfigureStack,
 * GetAnalyzerInfo and Configure, then Analyze per resource and AnalyzeStack at the end.
 *
 * Properties travel as the engine marshals them (KeepUnknowns, KeepSecrets): an unknown is the
 * unknown sentinel string, a secret the signature object (provider/testing/wire-values.ts). The
 * process is started and its port read by the one plugin-process starter (provider-process.ts).
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { callProvider, grpc, HostCallError, struct, type Props } from "../../provider/testing/fake-engine";
import { startPlugin, type StartedPlugin } from "../../provider/testing/provider-process";
import { REPO_ROOT } from "./test-stack";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_NUMBERS = Object.fromEntries(Object.entries(LEVELS).map(([n, level]) => [level, Number(n)])) as Record<EnforcementLevel, analyzerPb.EnforcementLevel>;

/** One policy as GetAnalyzerInfo lists it. */
export interface AnalyzerPolicy {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: { properties: Props; required: string[] };
}

/** One diagnostic of Analyze or AnalyzeStack. */
export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn: string;
}

/** What Analyze or AnalyzeStack answered. */
export interface Analysis {
  diagnostics: Diagnostic[];
  /** Policies that reported themselves not applicable, by name. */
  notApplicable: string[];
}

/** A resource as the engine sends it to a policy pack. */
export interface AnalyzedResource {
  urn: string;
  type: string;
  properties: Props;
}

export interface AnalyzerOptions {
  /** The pack's folder (PulumiPolicy.yaml, package.json, the program, node_modules reachable). */
  packDir: string;
  /** The stack under analysis, as the engine names it in PULUMI_STACK. */
  stack: string;
  project?: string;
}

/** One policy pack process, started as the engine starts it, and a gRPC client for it. */
export class AnalyzerProcess {
  /** Every answer's payload, as JSON text. */
  readonly answers: string[] = [];
  private constructor(
    private readonly plugin: StartedPlugin,
    private readonly client: AnalyzerClient,
    private readonly options: AnalyzerOptions,
  ) {}

  /** What the pack wrote to stderr so far. */
  get stderr(): string {
    return this.plugin.stderr;
  }

  /** Starts the pack as the engine does, then makes the engine's first calls: Handshake and ConfigureStack. */
  static async start(options: AnalyzerOptions): Promise<AnalyzerProcess> {
    const project = options.project ?? "pulumi-qualys-tests";
    const started = await startPlugin({
      // What `pulumi-analyzer-policy` runs: the pack's own @pulumi/pulumi, resolved from its folder.
      command: process.execPath,
      args: [require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [options.packDir] })],
      argsAfter: ["."],
      cwd: options.packDir,
      env: {
        PULUMI_CONFIG: "{}",
        PULUMI_NODEJS_PROJECT: project,
        PULUMI_NODEJS_STACK: options.stack,
        PULUMI_NODEJS_DRY_RUN: "true",
        PULUMI_PROJECT: project,
        PULUMI_STACK: options.stack,
        PULUMI_DRY_RUN: "true",
      },
      name: "the policy pack",
    });
    const client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    const analyzer = new AnalyzerProcess(started, client, { ...options, project });
    await analyzer.handshake();
    await analyzer.call("configureStack", new analyzerPb.AnalyzerStackConfigureRequest().setStack(options.stack).setProject(project).setOrganization("organization").setDryRun(true));
    return analyzer;
  }

  /** Stops the pack as the engine does (an interrupt), and the fake engine. */
  async close(): Promise<void> {
    const { child, engine } = this.plugin;
    this.client.close();
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGINT");
    await exited;
    await engine.close();
  }

  async getAnalyzerInfo(): Promise<{ name: string; version: string; supportsConfig: boolean; policies: AnalyzerPolicy[] }> {
    const info = await this.call<analyzerPb.AnalyzerInfo>("getAnalyzerInfo", new Empty());
    return {
      name: info.getName(),
      version: info.getVersion(),
      supportsConfig: info.getSupportsconfig(),
      policies: info.getPoliciesList().map((policy) => {
        const schema = policy.getConfigschema();
        return {
          name: policy.getName(),
          description: policy.getDescription(),
          enforcementLevel: LEVELS[policy.getEnforcementlevel()]!,
          ...(schema ? { configSchema: { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Props, required: schema.getRequiredList() } } : {}),
        };
      }),
    };
  }

  /**
   * Configure, as the engine sends a `--policy-pack-config` file: per policy, a level and settings.
   * A policy given no level keeps the one GetAnalyzerInfo reports, as the engine's reconciling of
   * the file with the pack's defaults does.
   */
  async configure(config: Record<string, { enforcementLevel?: EnforcementLevel; properties?: Props }>): Promise<void> {
    const levels = new Map((await this.getAnalyzerInfo()).policies.map((policy) => [policy.name, policy.enforcementLevel]));
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [name, policy] of Object.entries(config)) {
      const level = policy.enforcementLevel ?? levels.get(name) ?? "advisory";
      request.getPolicyconfigMap().set(name, new analyzerPb.PolicyConfig().setEnforcementlevel(LEVEL_NUMBERS[level]).setProperties(struct(policy.properties ?? {})));
    }
    await this.call("configure", request);
  }

  /** Analyze one resource, as `pulumi preview` and `pulumi up` do before each step. */
  async analyze(resource: AnalyzedResource): Promise<Analysis> {
    const request = new analyzerPb.AnalyzeRequest().setUrn(resource.urn).setType(resource.type).setName(nameOf(resource.urn)).setProperties(struct(resource.properties)).setOptions(engineOptions());
    return analysis(await this.call<analyzerPb.AnalyzeResponse>("analyze", request));
  }

  /** AnalyzeStack over all the resources, as the engine does after an update. */
  async analyzeStack(resources: AnalyzedResource[]): Promise<Analysis> {
    const list = resources.map((r) => new analyzerPb.AnalyzerResource().setUrn(r.urn).setType(r.type).setName(nameOf(r.urn)).setProperties(struct(r.properties)).setOptions(engineOptions()));
    return analysis(await this.call<analyzerPb.AnalyzeResponse>("analyzeStack", new analyzerPb.AnalyzeStackRequest().setResourcesList(list)));
  }

  /** A URN in the analyzed stack. */
  urn(type: string, name: string): string {
    return `urn:pulumi:${this.options.stack}::${this.options.project ?? ""}::${type}::${name}`;
  }

  /** The engine's Handshake: a pack that does not implement it answers UNIMPLEMENTED, which the engine accepts. */
  private async handshake(): Promise<void> {
    const request = new analyzerPb.AnalyzerHandshakeRequest().setEngineAddress(this.plugin.engine.address).setRootDirectory(this.options.packDir).setProgramDirectory(this.options.packDir);
    try {
      await this.call("handshake", request);
    } catch (error) {
      if (!(error instanceof HostCallError) || error.code !== grpc.status.UNIMPLEMENTED) throw error;
    }
  }

  private async call<T>(method: string, request: unknown): Promise<T> {
    const response = await callProvider<T>(this.client, method, request);
    this.answers.push(JSON.stringify((response as { toObject?: () => unknown }).toObject?.() ?? null));
    return response;
  }
}

/**
 * The example pack installed as a user installs a pack: its files in a fresh folder, next to a
 * node_modules holding @pulumi/policy, @pulumi/pulumi and pulumi-qualys (a link to this checkout's,
 * or the Node 22 leg's). The compiled index.js stands in for index.ts, which the engine would
 * compile with ts-node first.
 */
export function installExamplePack(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "qualys-policy-pack-"));
  for (const file of ["PulumiPolicy.yaml", "package.json"]) cpSync(join(REPO_ROOT, "examples/policy-pack", file), join(dir, file));
  cpSync(join(REPO_ROOT, "dist/examples/policy-pack/index.js"), join(dir, "index.js"));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Resource options as the engine always sends them (@pulumi/policy refuses a request without). */
function engineOptions(): analyzerPb.AnalyzerResourceOptions {
  return new analyzerPb.AnalyzerResourceOptions().setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts());
}

function analysis(response: analyzerPb.AnalyzeResponse): Analysis {
  return {
    diagnostics: response.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      message: d.getMessage(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()]!,
      urn: d.getUrn(),
    })),
    notApplicable: response.getNotApplicableList().map((n) => n.getPolicyName()),
  };
}
