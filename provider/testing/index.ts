/**
 * `pulumi-qualys/testing`: unit-test a Pulumi program that declares `qualys.ActivationKey`s
 * against the embedded Qualys simulator, through the real dynamic-provider host — preview, up,
 * refresh (drift) and destroy, without the Pulumi CLI or a Qualys account. See the README,
 * "Testing your program".
 */
export { SimulatedStack, simulatorConfig, startSimulatedStack, type SimulatedStackOptions } from "./simulated-stack";
export { ProgramUnderMocks, changedOutputFields, type Program, type RunResult, type StateEntry, type Step } from "./program-under-mocks";
export { ACTIVATION_KEY_TYPE, DynamicProviderHost, HostCallError, type EngineLogLine, type HostOptions, type Props } from "./dynamic-provider-host";
export { describeFieldDrift, formatDriftValue, type FieldDrift } from "../activation-key/drift";
