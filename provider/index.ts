/**
 * pulumi-qualys: Qualys Cloud Agent activation keys as Pulumi resources.
 */
export { ActivationKey, type ActivationKeyArgs } from "./dynamic/activation-key";
export * from "./qualys/errors";
export type { ActivationKeyType, AgentActKey, AuthMode } from "./qualys/types";
export { PLATFORMS } from "./qualys/platforms";
