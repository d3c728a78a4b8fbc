#!/usr/bin/env node
/**
 * `pulumi-resource-qualys`: the executable the Pulumi engine starts for the `qualys` package
 * (docs/pulumi-native-provider.md, "The protocol" and "Packaging"). The engine runs it with
 * its own address as the last argument, reads the port from the first line of stdout, and talks
 * `pulumirpc.ResourceProvider` to it. The SDK's `provider.main` is not used: its Configure never
 * hands the provider configuration over (pulumi/pulumi sdk/nodejs/provider/server.ts), and this
 * provider is nothing without its subscription's credentials.
 *
 * stdout carries the port and nothing else. Warnings go to the engine's Log service with the URN
 * of the resource they are about: the engine hides a provider's stdout/stderr unless `-d` is given
 * (pulumi/pulumi plugin.go: output of plugins other than the dynamic hosts is logged at debug
 * level), so stderr is only the fallback when the engine cannot be reached.
 */
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { engineAddressFrom } from "../engine/engine-address";
import { engineLogSink } from "../engine/engine-log-sink";
import { ENGINE_MESSAGE_LIMITS } from "../engine/message-limits";
import { grpc } from "../engine/stub-modules";
import { PACKAGE_VERSION } from "../qualys/version";
import { ProviderServer } from "./provider-server";

/** How long open calls may take to finish once the engine asks the plugin to stop. */
const SHUTDOWN_GRACE_MS = 3000;

const USAGE = `usage: pulumi-resource-qualys [engine flags] ENGINE_ADDRESS
       pulumi-resource-qualys --version | --help
The Pulumi resource provider plugin for Qualys Cloud Agent activation keys (package "qualys").
The Pulumi engine starts it; you do not run it yourself. It listens on 127.0.0.1, prints its port,
and serves the provider protocol over gRPC. See the README, "Use from any language".
`;

async function main(): Promise<void> {
  // A person who runs the bin by hand gets its purpose instead of a port and a silent server; the
  // engine always passes at least its own address.
  const args = process.argv.slice(2);
  if (args.includes("--version")) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return;
  }
  if (args.some((arg) => arg === "--help" || arg === "-h")) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.length === 0) {
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  const engine = engineLogSink(() => engineAddressFrom(process.argv.slice(2)));
  const provider = new ProviderServer({ version: PACKAGE_VERSION, sink: engine.sink, onAttach: engine.attach });
  const server = new grpc.Server(ENGINE_MESSAGE_LIMITS);
  server.addService(ResourceProviderService, provider.implementation());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.stdout.write(`${port}\n`);

  // The engine closes a plugin by interrupting it, then kills it 5 s later (plugin.go, Kill).
  const stop = (): void => {
    const force = setTimeout(() => {
      server.forceShutdown();
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.tryShutdown(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`pulumi-resource-qualys could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
