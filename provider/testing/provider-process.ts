/**
 * A provider process driven exactly as the Pulumi engine drives one, so tests need no Pulumi CLI:
 * the engine starts the provider with its own address as the last argument, reads the port the
 * provider listens on from the first line of its stdout, and makes every call over gRPC
 * (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go, which starts every plugin). A fake Engine service (fake-engine.ts) receives the
 * provider's Log calls, so tests can assert what a user would see in `pulumi up`.
 *
 * One class for every provider process; what differs between the dynamic-provider host
 * (dynamic-provider-host.ts) and the `pulumi-resource-qualys` plugin (plugin-process.ts) is only
 * what is started, with which arguments and environment, and how they answer Diff.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ENGINE_MESSAGE_LIMITS } from "../engine/message-limits";
import { callProvider, FakeEngine, grpc, struct, type EngineLogLine, type Props } from "./fake-engine";

/** What to start: the engine runs `command ...args <engine address> ...argsAfter`. */
export interface ProviderCommand {
  /** The executable. */
  command: string;
  /** Arguments before the engine's address. */
  args: string[];
  /** Arguments after the engine's address (a policy pack's folder); default none. */
  argsAfter?: string[];
  /** The working directory; default: this process's. */
  cwd?: string;
  /** Extra environment, added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** How error messages name the process, e.g. `pulumi-resource-qualys`. */
  name: string;
}

/** Check's answer: the inputs as the provider normalised them, or the failures `pulumi preview` would print. */
export interface CheckAnswer {
  inputs: Props;
  failures: { property: string; reason: string }[];
}

/** The running process, its gRPC client, the fake engine it reports to, and what it wrote to stderr. */
export interface ProviderConnection {
  readonly child: ChildProcess;
  readonly client: ResourceProviderClient;
  readonly engine: FakeEngine;
  /** Everything the process wrote to stderr so far. */
  stderr: string;
}

/** A started plugin process: the port it printed, before any client connects. */
export interface StartedPlugin {
  readonly child: ChildProcess;
  readonly engine: FakeEngine;
  readonly port: string;
  /** Everything the process wrote to stderr so far. */
  stderr: string;
}

/** Starts `command` against a fresh fake engine and connects to the port it prints. */
export async function connectProvider(command: ProviderCommand): Promise<ProviderConnection> {
  const started = await startPlugin(command);
  // The same object, so its `stderr` keeps growing.
  return Object.assign(started, { client: new ResourceProviderClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure(), ENGINE_MESSAGE_LIMITS) });
}

/**
 * Starts `command` against a fresh fake engine and reads the port from the first line of its
 * stdout, as the engine does for every plugin: providers, and analyzers (policy packs) too.
 */
export async function startPlugin(command: ProviderCommand): Promise<StartedPlugin> {
  const engine = await FakeEngine.start();
  const child = spawn(command.command, [...command.args, engine.address, ...(command.argsAfter ?? [])], {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stderr: "" };
  child.stderr!.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
  try {
    const port = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", (line) => resolve(line.trim()));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`${command.name} exited with ${code}: ${output.stderr}`)));
    });
    if (!/^\d+$/.test(port)) throw new Error(`${command.name}: the first stdout line is not a port: ${JSON.stringify(port)}`);
    // The same object, so `stderr` keeps growing after the start.
    return Object.assign(output, { child, engine, port });
  } catch (error) {
    child.kill();
    await engine.close();
    throw error;
  }
}

/**
 * One provider process and the calls the engine makes to it, each returning plain objects.
 * Start one with `DynamicProviderHost.start` or `PluginProcess.start`, and `close()` it when done.
 */
export class ProviderProcess {
  /** Every answer's payload, as JSON text, for "the password is in no answer" checks. */
  readonly answers: string[] = [];

  protected constructor(private readonly connection: ProviderConnection) {}

  /** Every diagnostic the provider sent to the engine's Log service, in order. */
  get engineLog(): EngineLogLine[] {
    return this.connection.engine.log;
  }

  /** What the process wrote to stderr so far. */
  get stderr(): string {
    return this.connection.stderr;
  }

  /** Stops the process as the engine does (an interrupt) and the fake engine; resolves with the exit code. */
  async close(): Promise<number | null> {
    const { child, client, engine } = this.connection;
    client.close();
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    const code = await exited;
    await engine.close();
    return code;
  }

  /** Configure with the provider's configuration, secrets as the engine sends them. */
  async configure(args: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const request = new providerPb.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true).setAcceptresources(true);
    const response = await this.call<providerPb.ConfigureResponse>("configure", request);
    return { acceptSecrets: response.getAcceptsecrets(), supportsPreview: response.getSupportspreview() };
  }

  /** Check: the inputs as the provider normalised them, or the failures `pulumi preview` would print. */
  async check(urn: string, olds: Props, news: Props): Promise<CheckAnswer> {
    const request = new providerPb.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news));
    return checkAnswer(await this.call<providerPb.CheckResponse>("check", request));
  }

  /** Create from checked inputs (`preview`: as `pulumi preview` plans it): the new id and the outputs the engine would store. */
  async create(urn: string, inputs: Props, preview = false): Promise<{ id: string; outputs: Props }> {
    const request = new providerPb.CreateRequest().setUrn(urn).setProperties(struct(inputs)).setPreview(preview);
    const response = await this.call<providerPb.CreateResponse>("create", request);
    return { id: response.getId(), outputs: bag(response.getProperties()) };
  }

  /**
   * Read as refresh or `Resource.get` does (with the state), or as import does (`state` omitted:
   * no saved properties). An empty id means the resource is gone.
   */
  async read(urn: string, id: string, state?: Props, inputs?: Props): Promise<{ id: string; outputs: Props; inputs?: Props }> {
    const request = new providerPb.ReadRequest().setUrn(urn).setId(id);
    if (state) request.setProperties(struct(state));
    if (inputs) request.setInputs(struct(inputs));
    const response = await this.call<providerPb.ReadResponse>("read", request);
    const read = response.getInputs()?.toJavaScript() as Props | undefined;
    return { id: response.getId(), outputs: bag(response.getProperties()), ...(read ? { inputs: read } : {}) };
  }

  /** Update from the state's outputs (`olds`) to checked inputs (`news`). */
  async update(urn: string, id: string, olds: Props, news: Props, preview = false): Promise<{ outputs: Props }> {
    const request = new providerPb.UpdateRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news)).setPreview(preview);
    const response = await this.call<providerPb.UpdateResponse>("update", request);
    return { outputs: bag(response.getProperties()) };
  }

  /** Delete, with the state's outputs. */
  async delete(urn: string, id: string, outputs: Props): Promise<void> {
    await this.call("delete", new providerPb.DeleteRequest().setUrn(urn).setId(id).setProperties(struct(outputs)));
  }

  /** Any other method, raw (Cancel, Construct, GetMapping, Parameterize, ...). */
  raw<T>(method: string, request: unknown): Promise<T> {
    return this.call<T>(method, request);
  }

  /** Diff's raw answer, for the specialisations to read as their engine does. */
  protected diffResponse(urn: string, id: string, olds: Props, news: Props): Promise<providerPb.DiffResponse> {
    const request = new providerPb.DiffRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
    return this.call<providerPb.DiffResponse>("diff", request);
  }

  /** Calls `method`, recording the answer's payload; a failure rejects with a HostCallError. */
  protected async call<T>(method: string, request: unknown): Promise<T> {
    const response = await callProvider<T>(this.connection.client, method, request);
    const payload = (response as { toObject?: () => unknown }).toObject?.();
    this.answers.push(JSON.stringify(payload ?? null));
    return response;
  }
}

/** What a Diff answer says in every provider's answer: whether it changes, and what must be replaced. */
export function diffChanges(response: providerPb.DiffResponse): "unknown" | "none" | "some" {
  return (["unknown", "none", "some"] as const)[response.getChanges()] ?? "unknown";
}

/** A CheckResponse (Check or CheckConfig) as plain objects. */
export function checkAnswer(response: providerPb.CheckResponse): CheckAnswer {
  return {
    inputs: bag(response.getInputs()),
    failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

function bag(struct: { toJavaScript(): unknown } | undefined): Props {
  return (struct?.toJavaScript() ?? {}) as Props;
}
