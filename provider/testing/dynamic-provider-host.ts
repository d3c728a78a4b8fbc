/**
 * The real `@pulumi/pulumi/cmd/dynamic-provider` host process, the provider the engine starts for
 * `qualys.ActivationKey`: a ProviderProcess (provider-process.ts) that runs the host script with
 * Node in the Pulumi project's directory.
 */
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { TYPE_TOKENS } from "../activation-key/properties";
import { PULUMI_DIR, type Props } from "./fake-engine";
import { connectProvider, diffChanges, ProviderProcess } from "./provider-process";

/** The type token of `qualys.ActivationKey`, as it appears in URNs. */
export const ACTIVATION_KEY_TYPE = TYPE_TOKENS.dynamic;

export interface HostOptions {
  /**
   * The Pulumi project directory: the host's working directory, where it resolves
   * `pulumi-qualys/provider-runtime` (the package installed in the project's node_modules).
   */
  projectDir: string;
  /** Extra environment for the host (e.g. QUALYS_* variables); added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** The host script. Default: `@pulumi/pulumi/cmd/dynamic-provider` as the project resolves it. */
  hostScript?: string;
  /** Stack configuration (`qualys:*` keys) to send with Configure once the host is up; omit to configure later. */
  config?: Record<string, string>;
}

/**
 * One dynamic-provider host process and the calls the engine makes to it (Configure, Check, Diff,
 * Create, Read, Update, Delete). Start one with `DynamicProviderHost.start` and `close()` it when done.
 */
export class DynamicProviderHost extends ProviderProcess {
  /** Starts a host process in `options.projectDir`, and configures it when `options.config` is given. */
  static async start(options: HostOptions): Promise<DynamicProviderHost> {
    const hostScript = options.hostScript ?? require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [options.projectDir, PULUMI_DIR] });
    const host = new DynamicProviderHost(
      await connectProvider({
        name: "dynamic-provider host",
        command: process.execPath,
        args: [hostScript],
        cwd: options.projectDir,
        env: { PULUMI_NODEJS_PROJECT: "pulumi-qualys-tests", ...options.env },
      }),
    );
    if (options.config) await host.configure(options.config);
    return host;
  }

  /** Diff of the state's outputs (`olds`) against checked inputs (`news`), as the host answers it (no detailed diff). */
  async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: "unknown" | "none" | "some"; replaces: string[]; deleteBeforeReplace: boolean }> {
    const response: providerPb.DiffResponse = await this.diffResponse(urn, id, olds, news);
    return { changes: diffChanges(response), replaces: response.getReplacesList(), deleteBeforeReplace: response.getDeletebeforereplace() };
  }
}
