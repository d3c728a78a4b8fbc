/**
 * Where the dynamic resource's warnings ("waiting 40 s for the Qualys rate limit") reach the user.
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
 * - The engine's `Log` RPC maps the severity to diag.Warning / diag.Info, so a line sent there is
 *   shown and summarised like any provider warning.
 * The host is started with the engine's gRPC address as its last argument (the engine puts
 * `--logtostderr`, `-v=N`, `--tracing <url>` before it: buildPluginArguments), so we send our
 * lines to `Log` ourselves. The dynamic host does not hand the resource URN to provider methods,
 * so lines are not attached to a resource; each names its key instead (`create key "x"`).
 * Outside the host (tests, tools), or if the engine cannot be reached, lines go to stderr, which
 * `pulumi up` still shows as above.
 */
import { engineAddressFrom } from "../engine/engine-address";
import { engineLogSink } from "../engine/engine-log-sink";
import type { LogSink } from "../subscription/subscription-logger";

/**
 * The engine address when this process is the dynamic-provider host, else undefined. It is the
 * last argument: logging and tracing flags (`pulumi up -v=9 --logflow`, `--tracing`) come first.
 */
export function engineAddressOfHost(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  return /cmd[\\/]dynamic-provider/.test(script) ? engineAddressFrom(argv.slice(2)) : undefined;
}

/** The dynamic host's sink: the engine's Log service, else stderr (engine-log-sink.ts). */
export const dynamicHostSink: LogSink = engineLogSink(() => engineAddressOfHost()).sink;
