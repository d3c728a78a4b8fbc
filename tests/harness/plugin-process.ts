/**
 * Drives `pulumi-resource-qualys` exactly as the Pulumi engine does
 * (docs/pulumi-native-provider.md, "The protocol"): the executable named by package.json's `bin` is
 * started with the engine's address as its last argument, its port is read from the first line of
 * stdout, and every call goes over gRPC. A fake Engine service collects the Log calls with their
 * URNs.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { TYPE_TOKENS } from "../../provider/activation-key/properties";
import { callProvider, FakeEngine, struct, type EngineLogLine, type Props } from "../../provider/testing/fake-engine";

export type { Props } from "../../provider/testing/fake-engine";

/** The key that marks special values (secrets) on the wire, and the secret's marker. */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A value as the engine sends a secret. */
export function secret(value: unknown): Props {
  return { [SIG]: SECRET_SIG, value };
}

/** Whether `value` is a secret on the wire. */
export function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Props)[SIG] === SECRET_SIG;
}

/** The bag with every secret unwrapped (deeply), as a program would see the values. */
export function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => plain(item)) as T;
  if (value === null || typeof value !== "object") return value;
  if (isSecret(value)) return plain((value as Props).value) as T;
  return Object.fromEntries(Object.entries(value as Props).map(([key, item]) => [key, plain(item)])) as T;
}

/** The plugin executable as the package ships it: package.json `bin.pulumi-resource-qualys`. */
export function pluginBin(root: string = dirname(require.resolve("pulumi-qualys/package.json"))): string {
  const bin = (require(join(root, "package.json")) as { bin: Record<string, string> }).bin["pulumi-resource-qualys"];
  if (!bin) throw new Error("package.json has no bin pulumi-resource-qualys");
  return join(root, bin);
}

export const URN_PREFIX = `urn:pulumi:test::pulumi-qualys-tests::${TYPE_TOKENS.plugin}::`;

export interface PluginOptions {
  /** The executable; default: the repository's bin. */
  bin?: string;
  /** Extra environment for the plugin (QUALYS_* fallbacks). */
  env?: NodeJS.ProcessEnv;
  /** Arguments the engine puts before its address (`--logtostderr`, `-v=9`, `--tracing <url>`). */
  flags?: string[];
}

export interface DiffAnswer {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  diffs: string[];
  detailedDiff: Record<string, "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE">;
  hasDetailedDiff: boolean;
}

export class PluginProcess {
  stderr = "";
  /** Every answer's payload, as JSON text, for "the password is in no answer" checks. */
  readonly answers: string[] = [];
  private constructor(
    readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    readonly engine: FakeEngine,
  ) {}

  get engineLog(): EngineLogLine[] {
    return this.engine.log;
  }

  static async start(options: PluginOptions = {}): Promise<PluginProcess> {
    const engine = await FakeEngine.start();
    const child = spawn(options.bin ?? pluginBin(), [...(options.flags ?? []), engine.address], {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", (line) => resolve(line.trim()));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`pulumi-resource-qualys exited with ${code}: ${stderr}`)));
    });
    if (!/^\d+$/.test(port)) throw new Error(`the first stdout line is not a port: ${JSON.stringify(port)}`);
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const plugin = new PluginProcess(child, client, engine);
    plugin.stderr = stderr;
    child.stderr!.on("data", (chunk: Buffer) => (plugin.stderr += chunk.toString()));
    return plugin;
  }

  /** Stops the plugin as the engine does (an interrupt), and resolves with its exit code. */
  async close(): Promise<number | null> {
    this.client.close();
    const exited = this.child.exitCode !== null ? Promise.resolve(this.child.exitCode) : new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.kill("SIGINT");
    const code = await exited;
    await this.engine.close();
    return code;
  }

  async getPluginInfo(): Promise<string> {
    return (await this.call<pluginPb.PluginInfo>("getPluginInfo", new Empty())).getVersion();
  }

  async getSchema(): Promise<string> {
    return (await this.call<providerPb.GetSchemaResponse>("getSchema", new providerPb.GetSchemaRequest())).getSchema();
  }

  async checkConfig(news: Props, olds: Props = {}): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new providerPb.CheckRequest().setUrn("urn:pulumi:test::pulumi-qualys-tests::pulumi:providers:qualys::default").setOlds(struct(olds)).setNews(struct(news));
    return checkAnswer(await this.call<providerPb.CheckResponse>("checkConfig", request));
  }

  async diffConfig(olds: Props, news: Props): Promise<DiffAnswer> {
    const request = new providerPb.DiffRequest().setUrn("urn:pulumi:test::pulumi-qualys-tests::pulumi:providers:qualys::default").setOldInputs(struct(olds)).setOlds(struct(olds)).setNews(struct(news));
    return diffAnswer(await this.call<providerPb.DiffResponse>("diffConfig", request));
  }

  /** Configure with a provider's inputs (no `qualys:` prefix), secrets as the engine sends them. */
  async configure(args: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const request = new providerPb.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true).setAcceptresources(true);
    const response = await this.call<providerPb.ConfigureResponse>("configure", request);
    return { acceptSecrets: response.getAcceptsecrets(), supportsPreview: response.getSupportspreview() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new providerPb.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news));
    return checkAnswer(await this.call<providerPb.CheckResponse>("check", request));
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<DiffAnswer> {
    const request = new providerPb.DiffRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
    return diffAnswer(await this.call<providerPb.DiffResponse>("diff", request));
  }

  async create(urn: string, inputs: Props, preview = false): Promise<{ id: string; outputs: Props }> {
    const request = new providerPb.CreateRequest().setUrn(urn).setProperties(struct(inputs)).setPreview(preview);
    const response = await this.call<providerPb.CreateResponse>("create", request);
    return { id: response.getId(), outputs: (response.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  /** Read as refresh does (with the state), or as import does (`state` omitted: no saved properties). */
  async read(urn: string, id: string, state?: Props, inputs?: Props): Promise<{ id: string; outputs: Props; inputs?: Props }> {
    const request = new providerPb.ReadRequest().setUrn(urn).setId(id);
    if (state) request.setProperties(struct(state));
    if (inputs) request.setInputs(struct(inputs));
    const response = await this.call<providerPb.ReadResponse>("read", request);
    const read = response.getInputs()?.toJavaScript() as Props | undefined;
    return { id: response.getId(), outputs: (response.getProperties()?.toJavaScript() ?? {}) as Props, ...(read ? { inputs: read } : {}) };
  }

  async update(urn: string, id: string, olds: Props, news: Props, preview = false): Promise<{ outputs: Props }> {
    const request = new providerPb.UpdateRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news)).setPreview(preview);
    const response = await this.call<providerPb.UpdateResponse>("update", request);
    return { outputs: (response.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async delete(urn: string, id: string, outputs: Props): Promise<void> {
    await this.call("delete", new providerPb.DeleteRequest().setUrn(urn).setId(id).setProperties(struct(outputs)));
  }

  async invoke(token: string, args: Props): Promise<{ result?: Props; failures: { property: string; reason: string }[] }> {
    const response = await this.call<providerPb.InvokeResponse>("invoke", new providerPb.InvokeRequest().setTok(token).setArgs(struct(args)));
    const result = response.getReturn()?.toJavaScript() as Props | undefined;
    return { ...(result ? { result } : {}), failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  /** Any other method, raw (Cancel, GetMapping, Parameterize, ...). */
  async raw<T>(method: string, request: unknown): Promise<T> {
    return this.call<T>(method, request);
  }

  private async call<T>(method: string, request: unknown): Promise<T> {
    const response = await callProvider<T>(this.client, method, request);
    const payload = (response as { toObject?: () => unknown }).toObject?.();
    this.answers.push(JSON.stringify(payload ?? null));
    return response;
  }
}

function checkAnswer(response: providerPb.CheckResponse): { inputs: Props; failures: { property: string; reason: string }[] } {
  return {
    inputs: (response.getInputs()?.toJavaScript() ?? {}) as Props,
    failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

function diffAnswer(response: providerPb.DiffResponse): DiffAnswer {
  const kinds = ["ADD", "ADD_REPLACE", "DELETE", "DELETE_REPLACE", "UPDATE", "UPDATE_REPLACE"] as const;
  const detailedDiff: DiffAnswer["detailedDiff"] = {};
  response.getDetaileddiffMap().forEach((entry, key) => (detailedDiff[key] = kinds[entry.getKind()]!));
  return {
    changes: (["unknown", "none", "some"] as const)[response.getChanges()] ?? "unknown",
    replaces: response.getReplacesList(),
    diffs: response.getDiffsList(),
    detailedDiff,
    hasDetailedDiff: response.getHasdetaileddiff(),
  };
}
