/**
 * A user's own Pulumi program against the embedded Qualys simulator, with the engine's operations
 * (preview, up, refresh, destroy) run through the real dynamic-provider host: a unit test of the
 * program needs neither the Pulumi CLI nor a Qualys account.
 */
import { startSimulator } from "../../simulator";
import { DEFAULT_USERS } from "../../simulator/simulator-context";
import type { RunningSimulator, SimulatorOptions } from "../../simulator/types";
import { DynamicProviderHost } from "./dynamic-provider-host";
import { ProgramUnderMocks, type Program } from "./program-under-mocks";

export interface SimulatedStackOptions {
  /** The program under test: the absolute path of its module, or a function that declares resources. */
  program: Program;
  /**
   * The Pulumi project directory: the provider host runs there and loads pulumi-qualys from its
   * node_modules, as `pulumi up` would. Default: `process.cwd()`.
   */
  projectDir?: string;
  /** How the simulated subscription behaves: users, licenses, rate and concurrency limits, latency. Default: no limits. */
  simulator?: SimulatorOptions;
  /**
   * More stack configuration, e.g. `{ "qualys:maxWaitSec": "5" }`. `qualys:apiUrl`, `qualys:username`
   * and `qualys:password` already point at the simulator, as its first user.
   */
  config?: Record<string, string>;
  /** Extra environment for the provider host processes. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A program, its state, and the simulator it deploys to. `preview()`, `up()`, `refresh()` and
 * `destroy()` each run in a fresh provider host, as each Pulumi command starts a new provider
 * process; `simulator.admin` makes out-of-band changes (drift) and counts the API calls.
 */
export class SimulatedStack extends ProgramUnderMocks {
  /**
   * @param simulator the running simulator; `close()` stops it.
   * @param config the stack configuration every host is configured with.
   */
  constructor(
    readonly simulator: RunningSimulator,
    readonly config: Record<string, string>,
    program: Program,
    startHost: () => Promise<DynamicProviderHost>,
  ) {
    super(startHost, program);
  }

  /** Stops the simulator. Call it when the test ends (an `after`/`afterEach` hook). */
  close(): Promise<void> {
    return this.simulator.close();
  }
}

/** The stack configuration that points the provider at `simulator` as `user` (default: its built-in user). */
export function simulatorConfig(simulator: RunningSimulator, user: { username: string; password: string } = DEFAULT_USERS[0]!): Record<string, string> {
  return { "qualys:apiUrl": simulator.url, "qualys:username": user.username, "qualys:password": user.password };
}

/**
 * Starts the embedded simulator on 127.0.0.1 (any free port) and returns the program ready to run
 * against it. Nothing is deployed until the first `up()`.
 */
export async function startSimulatedStack(options: SimulatedStackOptions): Promise<SimulatedStack> {
  const simulator = await startSimulator(options.simulator);
  const config = { ...simulatorConfig(simulator, options.simulator?.users?.[0]), ...options.config };
  const projectDir = options.projectDir ?? process.cwd();
  return new SimulatedStack(simulator, config, options.program, () => DynamicProviderHost.start({ projectDir, env: options.env, config }));
}
