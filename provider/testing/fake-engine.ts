/**
 * The engine's side of the provider protocol, shared by every provider process the harness drives
 * as the Pulumi engine does (provider-process.ts; no Pulumi CLI needed): a fake Engine service that
 * records the Log calls a user would see in `pulumi up`, and the decoding of a provider's failures
 * the way the engine reads them.
 *
 * gRPC and protobuf are the copies @pulumi/pulumi's generated stubs use (provider/engine/stub-modules.ts),
 * not this package's: a second copy (another version, or a package manager that does not hoist)
 * would break the stubs' identity checks.
 */
import { dirname } from "node:path";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { Empty, grpc, Struct, type EmptyPb, type Grpc, type StructPb } from "../engine/stub-modules";

/** Where @pulumi/pulumi is installed: the dynamic-provider host script is resolved from there. */
export const PULUMI_DIR = dirname(require.resolve("@pulumi/pulumi/package.json"));

export { grpc };

/** A property bag as the engine passes it over gRPC: plain JSON values. */
export type Props = Record<string, unknown>;

/** A diagnostic the provider sent to the engine. */
export interface EngineLogLine {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  /** The resource the line is attached to, when the provider named one. */
  urn?: string;
}

/** A gRPC Engine service on 127.0.0.1 that records Log calls. */
export class FakeEngine {
  readonly log: EngineLogLine[] = [];
  private constructor(
    private readonly server: Grpc.Server,
    /** `127.0.0.1:PORT`, the argument the engine starts providers with. */
    readonly address: string,
  ) {}

  static async start(): Promise<FakeEngine> {
    const server = new grpc.Server();
    const log: EngineLogLine[] = [];
    const names = { [enginePb.LogSeverity.DEBUG]: "debug", [enginePb.LogSeverity.INFO]: "info", [enginePb.LogSeverity.WARNING]: "warning", [enginePb.LogSeverity.ERROR]: "error" } as const;
    server.addService(engineRpc.EngineService, {
      log: (call: Grpc.ServerUnaryCall<enginePb.LogRequest, EmptyPb.Empty>, callback: Grpc.sendUnaryData<EmptyPb.Empty>) => {
        const line: EngineLogLine = { severity: names[call.request.getSeverity()], message: call.request.getMessage() };
        if (call.request.getUrn()) line.urn = call.request.getUrn();
        log.push(line);
        callback(null, new Empty());
      },
    } as unknown as engineRpc.IEngineServer);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    const engine = new FakeEngine(server, `127.0.0.1:${port}`);
    (engine as { log: EngineLogLine[] }).log = log;
    return engine;
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }
}

/** A gRPC failure from a provider, with the message the engine would show. */
export class HostCallError extends Error {
  constructor(
    readonly method: string,
    readonly details: string,
    /** Set when the provider failed after creating the resource (ErrorResourceInitFailed). */
    readonly initFailedId?: string,
    /** With initFailedId: the properties the engine then stores as the resource's outputs, verbatim. */
    readonly initFailedProperties?: Props,
    /** The gRPC status code. */
    readonly code?: Grpc.status,
  ) {
    super(`${method} failed: ${details}`);
  }
}

/** `Struct.fromJavaScript` refuses `undefined` values: drop them, as the engine's marshalling does. */
export function struct(props: Props): StructPb.Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Record<string, never>);
}

/** Calls `method` on a provider client, turning a failure into a HostCallError. */
export function callProvider<T>(client: unknown, method: string, request: unknown): Promise<T> {
  const fn = (client as Record<string, (req: unknown, cb: (err: Grpc.ServiceError | null, res: T) => void) => void>)[method]!;
  return new Promise<T>((resolve, reject) => {
    fn.call(client, request, (err, res) => (err ? reject(callError(method, err)) : resolve(res)));
  });
}

function callError(method: string, err: Grpc.ServiceError): HostCallError {
  let initFailed: providerPb.ErrorResourceInitFailed | undefined;
  const details = err.metadata?.get("grpc-status-details-bin")[0];
  if (details instanceof Buffer) {
    // Status{code, message, details: [Any(ErrorResourceInitFailed)]}: the id survives a failed create.
    const statusPb = require("@pulumi/pulumi/proto/status_pb") as { Status: { deserializeBinary(b: Uint8Array): { getDetailsList(): { getValue_asU8(): Uint8Array }[] } } };
    const any = statusPb.Status.deserializeBinary(details).getDetailsList()[0];
    if (any) initFailed = providerPb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
  }
  if (!initFailed) return new HostCallError(method, err.details, undefined, undefined, err.code);
  return new HostCallError(method, err.details, initFailed.getId(), (initFailed.getProperties()?.toJavaScript() ?? {}) as Props, err.code);
}
