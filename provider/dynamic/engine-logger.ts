/**
 * Where the provider's warnings ("waiting 40 s for the Qualys rate limit") reach the user.
 *
 * What the engine does with a dynamic provider's output (pulumi/pulumi, checked in
 * sdk/go/common/resource/plugin/plugin.go and host_server.go):
 * - `pulumi.log.*` inside the host has no engine connection and falls back to console output on
 *   the plugin's stderr (pulumi/pulumi#18249).
 * - Plugin stdout/stderr is logged at debug level, hidden by default (pulumi/pulumi#17943), EXCEPT
 *   for the dynamic-provider binaries (`isDynamicPluginBinary`: pulumi-resource-pulumi-nodejs /
 *   -python), whose lines are passed through as plain info output (pulumi/pulumi#18253, the fix of
 *   #18249). So stderr is visible, but only as unattributed text: never a warning, never in the
 *   "Diagnostics" summary, lost in a busy display.
 * - The engine's `Log` RPC (hostServer.Log) maps the severity to diag.Warning / diag.Info, so a
 *   line sent there is shown and summarised like any provider warning.
 * The host is started with the engine's gRPC address as its last argument (the engine puts
 * `--logtostderr`, `-v=N`, `--tracing <url>` before it: buildPluginArguments), so we send our
 * lines to `Log` ourselves. The dynamic host does not hand the resource URN to provider methods,
 * so lines are not attached to a resource; each names its key instead (`create key "x"`).
 * Outside the host (tests, tools), or if the engine cannot be reached, lines go to stderr, which
 * `pulumi up` still shows as above.
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

/**
 * The engine address when this process is the dynamic-provider host, else undefined. It is the
 * last argument: logging and tracing flags (`pulumi up -v=9 --logflow`, `--tracing`) come first.
 */
export function engineAddressOfHost(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const address = argv.length > 2 ? argv[argv.length - 1] : undefined;
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
