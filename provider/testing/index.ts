/**
 * `pulumi-qualys/testing`: unit-test a Pulumi program that declares `qualys.ActivationKey`s
 * against the embedded Qualys simulator, through the real dynamic-provider host — preview, up,
 * refresh (drift) and destroy, without the Pulumi CLI or a Qualys account. See the README,
 * "Testing your program". The provider processes themselves (the dynamic-provider host and the
 * `pulumi-resource-qualys` plugin) can be driven call by call, as the engine does.
 */
export { SimulatedStack, simulatorConfig, startSimulatedStack, type SimulatedStackOptions } from "./simulated-stack";
export { ProgramUnderMocks, changedOutputFields, type Program, type RunResult, type StateEntry, type Step } from "./program-under-mocks";
export { ProviderProcess, type CheckAnswer } from "./provider-process";
export { ACTIVATION_KEY_TYPE, DynamicProviderHost, type HostOptions } from "./dynamic-provider-host";
export { PLUGIN_URN_PREFIX, PluginProcess, pluginBin, type DiffAnswer, type PluginOptions } from "./plugin-process";
export { HostCallError, type EngineLogLine, type Props } from "./fake-engine";
export { isSecret, plain, secret } from "./wire-values";
export { serializedProvider } from "./serialized-provider";
export { describeFieldDrift, formatDriftValue, type FieldDrift } from "../activation-key/drift";
