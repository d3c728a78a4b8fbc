/**
 * Adapter 2: `pulumirpc.ResourceProvider` for pulumi-resource-qualys. Only translation lives here:
 * the engine's requests (Structs with secrets and unknowns, URNs, preview flags) to the lifecycle
 * core (provider/activation-key) and the subscription settings (provider/subscription), and their
 * results back to the engine's answers. Method contracts: docs/pulumi-native-provider.md,
 * "The protocol", and pulumi/pulumi sdk/go/common/resource/plugin/provider_plugin.go (how the
 * engine calls each method and reads its answer).
 *
 * One process serves one provider instance: the engine starts a plugin per default or explicit
 * provider and configures it once. Its client, limiter and read cache come from a registry keyed
 * by the configured subscription, so instances never share them even inside one process.
 */
import type * as grpc from "@grpc/grpc-js";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { Empty, type EmptyPb } from "../engine/stub-modules";
import { checkActivationKeyInputs } from "../activation-key/check";
import type { LifecycleContext, PropertyBag } from "../activation-key/context";
import { createKey } from "../activation-key/create";
import { deleteKey } from "../activation-key/delete";
import { functionNamed, invokeFunction, KEY_LIST_PROPERTY } from "../activation-key/functions";
import { previewCreate, previewUpdate } from "../activation-key/preview";
import { SECRET_OUTPUTS, TYPE_TOKENS, type ActivationKeyInputs } from "../activation-key/properties";
import { readKey } from "../activation-key/read";
import { diffKey } from "../activation-key/rotate";
import { updateKey } from "../activation-key/update";
import { PROVIDER_CONFIG, unknownSettingWarning, type ConfigPropertySpec } from "../subscription/config-properties";
import { changedSettings } from "../subscription/config-diff";
import { resolveProviderSettings, type ProviderSettings } from "../subscription/resolve-settings";
import { withResource } from "../subscription/resource-scope";
import { SubscriptionRegistry } from "../subscription/subscription-registry";
import type { LogSink } from "../subscription/subscription-logger";
import { configLookup, providerConfigFailures, unknownSettingNames } from "../subscription/provider-properties";
import { toProviderError, unimplemented, type ProviderError } from "./grpc-errors";
import { decodeStruct, encodeStruct, secretValue, type DecodedBag } from "./property-codec";
import { packageSchema } from "./schema";

interface ProviderServerOptions {
  /** Reported by GetPluginInfo and in the schema: the npm package's version. */
  version: string;
  /** Where log lines go: the engine's Log service, with the URN of the resource they are about. */
  sink: LogSink;
  /** QUALYS_* fallbacks for settings the configuration leaves out. Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Called with the engine's address when the engine attaches to an already running plugin. */
  onAttach?: (engineAddress: string) => void;
}

/** Settings the schema marks secret (the password). */
const SECRET_SETTINGS = Object.entries(PROVIDER_CONFIG as Record<string, ConfigPropertySpec>)
  .filter(([, spec]) => spec.secret)
  .map(([name]) => name);

type Handler = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

/** A handler from an async function; a thrown error becomes the engine-readable failure `onError` builds. */
function unary<Req, Res>(handle: (request: Req) => Promise<Res>, onError: (error: unknown, request: Req) => ProviderError = (error) => toProviderError(error)): Handler {
  return (call, callback) => {
    const request = call.request as Req;
    handle(request).then(
      (response) => callback(null, response),
      (error: unknown) => callback(onError(error, request) as grpc.ServiceError, null),
    );
  };
}

export class ProviderServer {
  private settings?: ProviderSettings;
  private readonly subscriptions: SubscriptionRegistry;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: ProviderServerOptions) {
    this.subscriptions = new SubscriptionRegistry(options.sink);
    this.env = options.env ?? process.env;
  }

  /** The handlers for `server.addService(ResourceProviderService, ...)`. */
  implementation(): grpc.UntypedServiceImplementation {
    const rejected = (method: string): Handler => (_call, callback) => callback(unimplemented(method) as grpc.ServiceError, null);
    return {
      handshake: unary((request: providerPb.ProviderHandshakeRequest) => this.handshake(request)),
      getPluginInfo: unary(async () => new pluginPb.PluginInfo().setVersion(this.options.version)),
      getSchema: unary((request: providerPb.GetSchemaRequest) => this.getSchema(request)),
      checkConfig: unary((request: providerPb.CheckRequest) => this.checkConfig(request)),
      diffConfig: unary((request: providerPb.DiffRequest) => this.diffConfig(request)),
      configure: unary((request: providerPb.ConfigureRequest) => this.configure(request)),
      check: unary((request: providerPb.CheckRequest) => this.check(request)),
      diff: unary((request: providerPb.DiffRequest) => this.diff(request)),
      create: unary(
        (request: providerPb.CreateRequest) => this.create(request),
        (error, request) => toProviderError(error, written(decodeStruct(request.getProperties()))),
      ),
      read: unary((request: providerPb.ReadRequest) => this.read(request)),
      update: unary(
        (request: providerPb.UpdateRequest) => this.update(request),
        (error, request) => toProviderError(error, written(decodeStruct(request.getNews()))),
      ),
      delete: unary((request: providerPb.DeleteRequest) => this.delete(request)),
      invoke: unary((request: providerPb.InvokeRequest) => this.invoke(request)),
      // Advisory (provider.proto): operations already running finish or fail on their own caps.
      cancel: unary(async () => new Empty()),
      attach: unary(async (request: pluginPb.PluginAttach) => {
        this.options.onAttach?.(request.getAddress());
        return new Empty();
      }),
      // "A provider should return an empty response (not an error) if it doesn't have a mapping" (provider.proto).
      getMapping: unary(async () => new providerPb.GetMappingResponse()),
      getMappings: unary(async () => new providerPb.GetMappingsResponse()),
      parameterize: rejected("Parameterize"),
      construct: rejected("Construct"),
      call: rejected("Call"),
      list: (call: grpc.ServerWritableStream<unknown, unknown>) => call.emit("error", unimplemented("List")),
    };
  }

  private async handshake(_request: providerPb.ProviderHandshakeRequest): Promise<providerPb.ProviderHandshakeResponse> {
    // Callers that handshake expect acceptSecrets and acceptResources to be true (provider.proto, Configure).
    return new providerPb.ProviderHandshakeResponse().setAcceptSecrets(true).setAcceptResources(true);
  }

  private async getSchema(request: providerPb.GetSchemaRequest): Promise<providerPb.GetSchemaResponse> {
    if (request.getVersion() !== 0) throw new Error(`pulumi-resource-qualys serves schema version 0, not ${request.getVersion()}.`);
    return new providerPb.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(this.options.version)));
  }

  private async checkConfig(request: providerPb.CheckRequest): Promise<providerPb.CheckResponse> {
    const news = decodeStruct(request.getNews());
    const response = new providerPb.CheckResponse().setInputs(encodeStruct(news.bag, [...news.secretNames, ...SECRET_SETTINGS]));
    for (const name of unknownSettingNames(news.bag)) {
      this.options.sink("warning", unknownSettingWarning(name, ""), request.getUrn());
    }
    for (const failure of providerConfigFailures(news.bag, this.env, this.subscriptions, news.secretNames)) {
      response.addFailures(new providerPb.CheckFailure().setProperty(failure.property).setReason(failure.reason));
    }
    return response;
  }

  private async diffConfig(request: providerPb.DiffRequest): Promise<providerPb.DiffResponse> {
    const olds = decodeStruct(request.getOldInputs() ?? request.getOlds()).bag;
    const news = decodeStruct(request.getNews()).bag;
    return diffResponse(changedSettings(olds, news), [], olds, news);
  }

  private async configure(request: providerPb.ConfigureRequest): Promise<providerPb.ConfigureResponse> {
    const args = request.getArgs();
    // Engines before structured args sent only `variables`, keyed `qualys:config:<name>`.
    const decoded = args ? decodeStruct(args) : undefined;
    const config = decoded ? decoded.bag : Object.fromEntries(request.getVariablesMap().toArray().map(([key, value]) => [key.replace(/^qualys:config:/, ""), value]));
    const settings = resolveProviderSettings(configLookup(config, decoded?.secretNames), this.env);
    this.subscriptions.contextFor(settings); // refuses a configuration the client cannot work with, now
    this.settings = settings;
    return new providerPb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(true);
  }

  private async check(request: providerPb.CheckRequest): Promise<providerPb.CheckResponse> {
    assertActivationKey(request.getUrn());
    const olds = decodeStruct(request.getOlds());
    const news = decodeStruct(request.getNews());
    return withResource(request.getUrn(), async () => {
      const { log } = this.context();
      const outcome = checkActivationKeyInputs(news.bag, Date.now(), olds.bag, { expiryWarningDays: this.settings?.expiryWarningDays });
      for (const warning of outcome.warnings) log.warn(warning);
      const response = new providerPb.CheckResponse().setInputs(encodeStruct(outcome.inputs, news.secretNames));
      for (const failure of outcome.failures) response.addFailures(new providerPb.CheckFailure().setProperty(failure.property).setReason(failure.reason));
      return response;
    });
  }

  private async diff(request: providerPb.DiffRequest): Promise<providerPb.DiffResponse> {
    assertActivationKey(request.getUrn());
    const olds = decodeStruct(request.getOlds()).bag;
    const news = decodeStruct(request.getNews()).bag;
    const { changed, replaces } = await withResource(request.getUrn(), async () => diffKey(this.context(), request.getId(), olds, news));
    return diffResponse(changed, replaces, olds, news);
  }

  private async create(request: providerPb.CreateRequest): Promise<providerPb.CreateResponse> {
    assertActivationKey(request.getUrn());
    const inputs = decodeStruct(request.getProperties());
    if (request.getPreview()) return new providerPb.CreateResponse().setProperties(encodeStruct(previewCreate(inputs.bag), inputs.secretNames));
    const { id, outputs } = await withResource(request.getUrn(), () => createKey(this.context(), inputs.bag as unknown as ActivationKeyInputs, request.getUrn()));
    return new providerPb.CreateResponse().setId(id).setProperties(encodeStruct({ ...outputs }, outputSecrets(inputs)));
  }

  private async read(request: providerPb.ReadRequest): Promise<providerPb.ReadResponse> {
    assertActivationKey(request.getUrn());
    const state = decodeStruct(request.getProperties());
    // `pulumi import` and the `import` option read with no saved state at all.
    const saved = Object.keys(state.bag).length > 0 ? state.bag : undefined;
    const found = await withResource(request.getUrn(), () => readKey(this.context(), request.getId(), saved));
    // An empty id tells the engine the key is gone, so refresh drops it from state.
    if (!found) return new providerPb.ReadResponse().setId("");
    const inputs = decodeStruct(request.getInputs());
    return new providerPb.ReadResponse()
      .setId(found.id)
      .setProperties(encodeStruct({ ...found.outputs }, outputSecrets(state)))
      .setInputs(encodeStruct(found.inputs, inputs.secretNames));
  }

  private async update(request: providerPb.UpdateRequest): Promise<providerPb.UpdateResponse> {
    assertActivationKey(request.getUrn());
    const olds = decodeStruct(request.getOlds());
    const news = decodeStruct(request.getNews());
    if (request.getPreview()) return new providerPb.UpdateResponse().setProperties(encodeStruct(previewUpdate(olds.bag, news.bag), outputSecrets(news, olds)));
    const outputs = await withResource(request.getUrn(), () => updateKey(this.context(), request.getId(), news.bag as unknown as ActivationKeyInputs, olds.bag));
    return new providerPb.UpdateResponse().setProperties(encodeStruct({ ...outputs }, outputSecrets(news)));
  }

  private async delete(request: providerPb.DeleteRequest): Promise<EmptyPb.Empty> {
    assertActivationKey(request.getUrn());
    // The saved outputs: the activation key value and successorKeyId a retiring key needs.
    const state = decodeStruct(request.getProperties()).bag;
    await withResource(request.getUrn(), () => deleteKey(this.context(), request.getId(), state));
    return new Empty();
  }

  private async invoke(request: providerPb.InvokeRequest): Promise<providerPb.InvokeResponse> {
    const name = functionNamed(request.getTok());
    if (!name) throw new Error(`pulumi-resource-qualys has no function ${request.getTok()}: it offers qualys:index:getActivationKey and qualys:index:getActivationKeys.`);
    const outcome = await invokeFunction(this.context(), name, decodeStruct(request.getArgs()).bag);
    const response = new providerPb.InvokeResponse();
    for (const failure of outcome.failures) response.addFailures(new providerPb.CheckFailure().setProperty(failure.property).setReason(failure.reason));
    if (!outcome.outputs) return response;
    const list = outcome.outputs[KEY_LIST_PROPERTY.name];
    const result = Array.isArray(list) ? { [KEY_LIST_PROPERTY.name]: list.map((key: PropertyBag) => withSecrets(key)) } : withSecrets(outcome.outputs);
    return response.setReturn(encodeStruct(result));
  }

  /** The configured subscription's context. The engine configures a provider before any resource call. */
  private context(): LifecycleContext {
    if (!this.settings) throw new Error("The qualys provider was used before Configure: the engine configures every provider first, so this is a protocol error.");
    return this.subscriptions.contextFor(this.settings);
  }
}

/**
 * The answer to Diff and DiffConfig: every changed property by name and kind; replacements as the
 * core lists them (a rotation), always create before delete.
 */
function diffResponse(changed: readonly string[], replaces: readonly string[], olds: PropertyBag, news: PropertyBag): providerPb.DiffResponse {
  const response = new providerPb.DiffResponse()
    .setChanges(changed.length > 0 ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE)
    .setDiffsList([...changed])
    .setReplacesList([...replaces])
    .setDeletebeforereplace(false)
    .setHasdetaileddiff(true);
  for (const name of changed) {
    const { Kind } = providerPb.PropertyDiff;
    const kind = replaces.includes(name) ? Kind.UPDATE_REPLACE : olds[name] === undefined ? Kind.ADD : news[name] === undefined ? Kind.DELETE : Kind.UPDATE;
    response.getDetaileddiffMap().set(name, new providerPb.PropertyDiff().setKind(kind));
  }
  return response;
}

/** Outputs to mark secret: the schema's secret outputs and whatever the program gave as a secret. */
function outputSecrets(...bags: DecodedBag[]): string[] {
  return [...SECRET_OUTPUTS, ...bags.flatMap((bag) => [...bag.secretNames])];
}

/** A function's key with its secret outputs wrapped, for a Struct built without secret names. */
function withSecrets(key: PropertyBag): PropertyBag {
  return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, SECRET_OUTPUTS.includes(name) && value !== undefined ? secretValue(value) : value]));
}

/** The inputs of a write, for the ErrorResourceInitFailed of a half-done one. */
function written(inputs: DecodedBag): { inputs: PropertyBag; secretNames: string[] } {
  return { inputs: inputs.bag, secretNames: outputSecrets(inputs) };
}

/** Refuses a resource type this provider does not have (the URN's type: `...::qualys:index:ActivationKey::name`). */
function assertActivationKey(urn: string): void {
  const type = urn.split("::")[2]?.split("$").pop();
  if (type !== TYPE_TOKENS.plugin) throw new Error(`pulumi-resource-qualys has no resource type ${type ?? "(none)"}: it manages ${TYPE_TOKENS.plugin}.`);
}
