/**
 * Where the provider's warnings ("waiting 40 s for the Qualys rate limit") reach the user.
 *
 * Inside the dynamic-provider host, `pulumi.log.*` has no engine connection and falls back to the
 * plugin's stderr (pulumi/pulumi#18249), and the engine logs a plugin's stdout/stderr at debug
 * level only, hidden by default (pulumi/pulumi#17943). The host is, however, started with the
 * engine's gRPC address as its first argument (`main(process.argv.slice(2))` in
 * @pulumi/pulumi/cmd/dynamic-provider), so we send our lines to the engine's `Log` RPC ourselves:
 * they show up in `pulumi up` like any provider diagnostic. Outside the host (tests, tools), or if
 * the engine cannot be reached, lines go to stderr.
 *
 * Every line passes through redactText first.
 */
import { redactText } from "../qualys/redact";
import type { QualysLogger } from "../qualys/types";

type Severity = "info" | "warning";

interface EngineConnection {
  send(severity: Severity, message: string): Promise<void>;
}

let connection: EngineConnection | null | undefined;

/** The engine address when this process is the dynamic-provider host, else undefined. */
export function engineAddressOfHost(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const address = argv[2];
  return /cmd[\\/]dynamic-provider/.test(script) && address && /:\d+$/.test(address) ? address : undefined;
}

function engine(): EngineConnection | null {
  if (connection !== undefined) return connection;
  const address = engineAddressOfHost();
  connection = address ? connect(address) : null;
  return connection;
}

function connect(address: string): EngineConnection | null {
  try {
    // Loaded here, not at module level: only the host process needs gRPC.
    const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
    const enginePb = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
    const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
    const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
    const severities = { info: enginePb.LogSeverity.INFO, warning: enginePb.LogSeverity.WARNING };
    return {
      send: (severity, message) =>
        new Promise((resolve, reject) => {
          const request = new enginePb.LogRequest();
          request.setSeverity(severities[severity]);
          request.setMessage(message);
          client.log(request, (error) => (error ? reject(error) : resolve()));
        }),
    };
  } catch {
    return null;
  }
}

function emit(severity: Severity, message: string, secrets: readonly string[]): void {
  const line = redactText(message, secrets);
  const target = engine();
  if (!target) {
    process.stderr.write(`[pulumi-qualys] ${severity}: ${line}\n`);
    return;
  }
  target.send(severity, line).catch(() => process.stderr.write(`[pulumi-qualys] ${severity}: ${line}\n`));
}

/**
 * A logger for one subscription. Debug lines are sent only with QUALYS_DEBUG=1, and then as info:
 * the engine hides its own debug level unless `pulumi -d` is given. `secrets` are the
 * literal credentials of the subscription, blanked out of every line.
 */
export function engineLogger(secrets: readonly string[], env: NodeJS.ProcessEnv = process.env): QualysLogger {
  const debugOn = /^(1|true|yes)$/i.test(env.QUALYS_DEBUG ?? "");
  return {
    debug: (message) => {
      if (debugOn) emit("info", `debug: ${message}`, secrets);
    },
    info: (message) => emit("info", message, secrets),
    warn: (message) => emit("warning", message, secrets),
  };
}
