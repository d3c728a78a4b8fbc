/**
 * Drives the real `@pulumi/pulumi/cmd/dynamic-provider` host process over gRPC, as the Pulumi
 * engine does, so tests need no Pulumi CLI (docs/pulumi-dynamic-providers.md, "Testing
 * without the Pulumi CLI"). A fake Engine service (fake-engine.ts) receives the host's Log calls,
 * so tests can assert what a user would see in `pulumi up`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { TYPE_TOKENS } from "../activation-key/properties";
import { callProvider, FakeEngine, grpc, PULUMI_DIR, struct, type EngineLogLine, type Props } from "./fake-engine";

export { HostCallError, type EngineLogLine, type Props } from "./fake-engine";

/** The type token of `qualys.ActivationKey`, as it appears in URNs. */
export const ACTIVATION_KEY_TYPE = TYPE_TOKENS.dynamic;

export interface HostOptions {
  /**
   * The Pulumi project directory: the host's working directory, where it resolves
   * `pulumi-qualys/provider-runtime` (the package installed in the project's node_modules).
   */
  projectDir: string;
  /** Extra environment for the host (e.g. QUALYS_* variables); added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** The host script. Default: `@pulumi/pulumi/cmd/dynamic-provider` as the project resolves it. */
  hostScript?: string;
  /** Stack configuration (`qualys:*` keys) to send with Configure once the host is up; omit to configure later. */
  config?: Record<string, string>;
}

/**
 * One dynamic-provider host process and a gRPC client for it: the calls the engine makes
 * (Configure, Check, Diff, Create, Read, Update, Delete), each returning plain objects. Start one
 * with `DynamicProviderHost.start` and `close()` it when done.
 */
export class DynamicProviderHost {
  /** Every diagnostic the host sent to the engine's Log service, in order. */
  readonly engineLog: EngineLogLine[] = [];
  /** What the host process wrote to stderr. */
  stderr = "";
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    private readonly engine: FakeEngine,
  ) {}

  /** Starts a host process in `options.projectDir`, and configures it when `options.config` is given. */
  static async start(options: HostOptions): Promise<DynamicProviderHost> {
    const engine = await FakeEngine.start();
    const hostScript = options.hostScript ?? require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [options.projectDir, PULUMI_DIR] });
    const child = spawn(process.execPath, [hostScript, engine.address], {
      cwd: options.projectDir,
      env: { ...process.env, PULUMI_NODEJS_PROJECT: "pulumi-qualys-tests", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once("line", (line) => resolve(line.trim()));
      child.once("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code}: ${stderr}`)));
    });
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new DynamicProviderHost(child, client, engine);
    (host as { engineLog: EngineLogLine[] }).engineLog = engine.log;
    child.stderr!.on("data", (chunk: Buffer) => (host.stderr += chunk.toString()));
    host.stderr = stderr;
    if (options.config) await host.configure(options.config);
    return host;
  }

  /** Stops the host process and the fake engine. */
  async close(): Promise<void> {
    this.client.close();
    this.child.kill();
    await this.engine.close();
  }

  /** Configure with the stack config (`qualys:*` keys), as the engine does before anything else. */
  configure(config: Record<string, string>): Promise<void> {
    const request = new providerPb.ConfigureRequest();
    request.setArgs(struct(config));
    request.setAcceptsecrets(true);
    return this.call("configure", request).then(() => undefined);
  }

  /** Check: the inputs as the provider normalised them, or the failures `pulumi preview` would print. */
  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new providerPb.CheckRequest();
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<providerPb.CheckResponse>("check", request);
    return {
      inputs: (response.getInputs()?.toJavaScript() ?? {}) as Props,
      failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** Diff of the state's outputs (`olds`) against checked inputs (`news`). */
  async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: "unknown" | "none" | "some"; replaces: string[]; deleteBeforeReplace: boolean }> {
    const request = new providerPb.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<providerPb.DiffResponse>("diff", request);
    const changes = (["unknown", "none", "some"] as const)[response.getChanges()] ?? "unknown";
    return { changes, replaces: response.getReplacesList(), deleteBeforeReplace: response.getDeletebeforereplace() };
  }

  /** Create from checked inputs: the new id and the outputs the engine would store. */
  async create(urn: string, inputs: Props): Promise<{ id: string; outputs: Props }> {
    const request = new providerPb.CreateRequest();
    request.setUrn(urn);
    request.setProperties(struct(inputs));
    const response = await this.call<providerPb.CreateResponse>("create", request);
    return { id: response.getId(), outputs: (response.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  /** Read (refresh, or `Resource.get`): an empty id means the resource is gone. */
  async read(urn: string, id: string, props: Props): Promise<{ id: string; outputs: Props; inputs?: Props }> {
    const request = new providerPb.ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(struct(props));
    const response = await this.call<providerPb.ReadResponse>("read", request);
    const inputs = response.getInputs()?.toJavaScript() as Props | undefined;
    return { id: response.getId(), outputs: (response.getProperties()?.toJavaScript() ?? {}) as Props, ...(inputs ? { inputs } : {}) };
  }

  /** Update from the state's outputs (`olds`) to checked inputs (`news`). */
  async update(urn: string, id: string, olds: Props, news: Props): Promise<{ outputs: Props }> {
    const request = new providerPb.UpdateRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<providerPb.UpdateResponse>("update", request);
    return { outputs: (response.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  /** Delete, with the state's outputs as `props`. */
  async delete(urn: string, id: string, props: Props): Promise<void> {
    const request = new providerPb.DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(struct(props));
    await this.call("delete", request);
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return callProvider<T>(this.client, method, request);
  }
}
