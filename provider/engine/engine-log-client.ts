/**
 * Sends log lines to the Pulumi engine's `Log` RPC (pulumirpc.Engine), the one channel whose lines
 * `pulumi up` shows as warnings, summarised under "Diagnostics" and, with a URN, on the resource's
 * own row (engine hostServer.Log maps severity to diag.Warning / diag.Info). Both adapters use it:
 * the dynamic host (no URN: the host hands provider methods none, pulumi/pulumi#6065) and the
 * plugin (every request carries the URN).
 *
 * gRPC is loaded here, not at module level: only processes the engine started need it. It is the
 * copy the Engine stubs use (stub-modules.ts), whatever else the project's tree holds.
 */
import type { LogSeverity } from "../subscription/subscription-logger";

export interface EngineLogClient {
  send(severity: LogSeverity, message: string, urn: string | undefined): Promise<void>;
}

/** A client for the engine at `address` (`127.0.0.1:PORT`), or null when gRPC cannot be loaded. */
export function connectEngineLog(address: string): EngineLogClient | null {
  try {
    const { grpc } = require("./stub-modules") as typeof import("./stub-modules");
    const enginePb = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
    const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
    const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
    const severities = { info: enginePb.LogSeverity.INFO, warning: enginePb.LogSeverity.WARNING };
    return {
      send: (severity, message, urn) =>
        new Promise((resolve, reject) => {
          const request = new enginePb.LogRequest();
          request.setSeverity(severities[severity]);
          request.setMessage(message);
          if (urn) request.setUrn(urn);
          client.log(request, (error) => (error ? reject(error) : resolve()));
        }),
    };
  } catch {
    return null;
  }
}
