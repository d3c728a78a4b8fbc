/**
 * A simulator plus a dynamic-provider host configured for it: the fixture of the host-level tests.
 */
import { startSimulator } from "../../simulator";
import type { RunningSimulator, SimulatorOptions } from "../../simulator/types";
import { ACTIVATION_KEY_TYPE, DynamicProviderHost, simulatorConfig, type Props } from "pulumi-qualys/testing";
import { serializedProvider } from "../../provider/testing/serialized-provider";

/** The simulator's default manager: a test-only credential, never a real one. */
export const SIM_USER = { username: "admin", password: "admin-password" };

/** The repository root: a Pulumi project dir whose node_modules holds pulumi-qualys (a self link). */
export const REPO_ROOT = require("node:path").resolve(__dirname, "../../..") as string;

export interface TestStack {
  sim: RunningSimulator;
  host: DynamicProviderHost;
  providerText: string;
  config: Record<string, string>;
  urn(name: string): string;
  /** Starts another host configured like `host` (the engine starts one per operation). */
  newHost(): Promise<DynamicProviderHost>;
  /** Inputs as the SDK sends them: with __provider. */
  inputs(props: Props): Props;
  close(): Promise<void>;
}

export async function startTestStack(options: { simulator?: SimulatorOptions; configure?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<TestStack> {
  const sim = await startSimulator(options.simulator);
  const config = simulatorConfig(sim, SIM_USER);
  const host = await DynamicProviderHost.start({ projectDir: REPO_ROOT, env: options.env, config: options.configure === false ? undefined : config });
  const providerText = await serializedProvider();
  const stack: TestStack = {
    sim,
    host,
    providerText,
    config,
    newHost: () => DynamicProviderHost.start({ projectDir: REPO_ROOT, env: options.env, config }),
    urn: (name) => `urn:pulumi:test::pulumi-qualys-tests::${ACTIVATION_KEY_TYPE}::${name}`,
    inputs: (props) => ({ ...props, __provider: providerText }),
    // The stack's current host: a test may swap in another one (stack.host = ...).
    close: async () => {
      await stack.host.close();
      await sim.close();
    },
  };
  return stack;
}
