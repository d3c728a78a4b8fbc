/**
 * `pulumi-resource-qualys`, the native provider plugin, as the engine starts it: the executable
 * named by package.json's `bin`, with the engine's flags before its address. A ProviderProcess
 * (provider-process.ts) with the calls only a schema-based provider answers: GetPluginInfo,
 * GetSchema, CheckConfig, DiffConfig, Invoke, and Diff with a detailed diff.
 */
import { dirname, join } from "node:path";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { TYPE_TOKENS } from "../activation-key/properties";
import { Empty } from "../engine/stub-modules";
import { struct, type Props } from "./fake-engine";
import { checkAnswer, connectProvider, diffChanges, ProviderProcess, type CheckAnswer } from "./provider-process";

/** The URN of a plugin `qualys:index:ActivationKey` named `name` is this prefix and the name. */
export const PLUGIN_URN_PREFIX = `urn:pulumi:test::pulumi-qualys-tests::${TYPE_TOKENS.plugin}::`;
/** The URN of the default provider, the one CheckConfig and DiffConfig are about. */
const PROVIDER_URN = "urn:pulumi:test::pulumi-qualys-tests::pulumi:providers:qualys::default";

/** The plugin executable as the package ships it: package.json `bin.pulumi-resource-qualys`. */
export function pluginBin(root: string = dirname(require.resolve("pulumi-qualys/package.json"))): string {
  const bin = (require(join(root, "package.json")) as { bin: Record<string, string> }).bin["pulumi-resource-qualys"];
  if (!bin) throw new Error("package.json has no bin pulumi-resource-qualys");
  return join(root, bin);
}

export interface PluginOptions {
  /** The executable; default: the package's bin (`pluginBin()`). */
  bin?: string;
  /** Extra environment for the plugin (QUALYS_* fallbacks). */
  env?: NodeJS.ProcessEnv;
  /** Arguments the engine puts before its address (`--logtostderr`, `-v=9`, `--tracing <url>`). */
  flags?: string[];
}

/** A Diff or DiffConfig answer, with the detailed diff `pulumi preview --diff` shows. */
export interface DiffAnswer {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  diffs: string[];
  detailedDiff: Record<string, "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE">;
  hasDetailedDiff: boolean;
  /** Whether the provider asks the engine to delete the old resource before creating its replacement. */
  deleteBeforeReplace: boolean;
}

/** One `pulumi-resource-qualys` process. Start one with `PluginProcess.start` and `close()` it when done. */
export class PluginProcess extends ProviderProcess {
  static async start(options: PluginOptions = {}): Promise<PluginProcess> {
    return new PluginProcess(await connectProvider({ name: "pulumi-resource-qualys", command: options.bin ?? pluginBin(), args: options.flags ?? [], env: options.env }));
  }

  async getPluginInfo(): Promise<string> {
    return (await this.call<pluginPb.PluginInfo>("getPluginInfo", new Empty())).getVersion();
  }

  async getSchema(): Promise<string> {
    return (await this.call<providerPb.GetSchemaResponse>("getSchema", new providerPb.GetSchemaRequest())).getSchema();
  }

  async checkConfig(news: Props, olds: Props = {}): Promise<CheckAnswer> {
    const request = new providerPb.CheckRequest().setUrn(PROVIDER_URN).setOlds(struct(olds)).setNews(struct(news));
    return checkAnswer(await this.call<providerPb.CheckResponse>("checkConfig", request));
  }

  async diffConfig(olds: Props, news: Props): Promise<DiffAnswer> {
    const request = new providerPb.DiffRequest().setUrn(PROVIDER_URN).setOldInputs(struct(olds)).setOlds(struct(olds)).setNews(struct(news));
    return diffAnswer(await this.call<providerPb.DiffResponse>("diffConfig", request));
  }

  /** Diff of the state's outputs (`olds`) against checked inputs (`news`). */
  async diff(urn: string, id: string, olds: Props, news: Props): Promise<DiffAnswer> {
    return diffAnswer(await this.diffResponse(urn, id, olds, news));
  }

  async invoke(token: string, args: Props): Promise<{ result?: Props; failures: { property: string; reason: string }[] }> {
    const response = await this.call<providerPb.InvokeResponse>("invoke", new providerPb.InvokeRequest().setTok(token).setArgs(struct(args)));
    const result = response.getReturn()?.toJavaScript() as Props | undefined;
    return { ...(result ? { result } : {}), failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }
}

function diffAnswer(response: providerPb.DiffResponse): DiffAnswer {
  const kinds = ["ADD", "ADD_REPLACE", "DELETE", "DELETE_REPLACE", "UPDATE", "UPDATE_REPLACE"] as const;
  const detailedDiff: DiffAnswer["detailedDiff"] = {};
  response.getDetaileddiffMap().forEach((entry, key) => (detailedDiff[key] = kinds[entry.getKind()]!));
  return { changes: diffChanges(response), replaces: response.getReplacesList(), diffs: response.getDiffsList(), detailedDiff, hasDetailedDiff: response.getHasdetaileddiff(), deleteBeforeReplace: response.getDeletebeforereplace() };
}
