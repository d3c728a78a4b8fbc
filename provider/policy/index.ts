/**
 * `pulumi-qualys/policy`: CrossGuard policies for activation keys, as a library and as a ready pack
 * (examples/policy-pack). Needs @pulumi/policy (an optional peer dependency). See the README,
 * "Policy as code".
 */
export { DEFAULT_PACK_NAME, QUALYS_POLICY_NAMES, qualysPolicies, startQualysPolicyPack } from "./policy-pack";
export { KEY_RULES } from "./key-rules";
export { STACK_RULES } from "./stack-rules";
export { KEY_TYPE_TOKENS } from "./key-view";
export { QualysPolicyConfigError } from "../qualys/errors";
export type { ConfigSetting, ConfigValue, KeyRule, KeyView, PolicySetting, QualysPolicyOptions, QualysPolicyPackOptions, StackFinding, StackRule } from "./types";
