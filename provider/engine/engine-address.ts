/**
 * The engine's gRPC address among a plugin's arguments. The engine starts every plugin (the
 * dynamic-provider host and an executable provider alike) with its address as the LAST argument:
 * logging and tracing flags (`--logtostderr`, `-v=N`, `--tracing <url>`) come first
 * (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go, buildPluginArguments).
 */
export function engineAddressFrom(args: readonly string[]): string | undefined {
  const last = args[args.length - 1];
  return last !== undefined && /:\d+$/.test(last) ? last : undefined;
}
