/**
 * The rules as @pulumi/policy policies, and the ready pack. Each resource policy validates keys of
 * both type tokens and reports any other resource as not applicable; each reads its configuration
 * through the one validation (policy-config.ts).
 */
import { PolicyPack, type Policies, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { QualysPolicyConfigError } from "../qualys/errors";
import { withConfigureCheck, type ConfigureRequestConfig } from "./configure-check";
import { KEY_RULES } from "./key-rules";
import { isActivationKey, KEY_TYPE_TOKENS, keyView } from "./key-view";
import { configProblems, configSchemaOf, defaultsOf, ENFORCEMENT_LEVELS, resolveConfig } from "./policy-config";
import { STACK_RULES } from "./stack-rules";
import type { ConfigValue, KeyRule, PolicySetting, QualysPolicyOptions, QualysPolicyPackOptions, StackRule } from "./types";

/** The pack's name when the options give none. */
export const DEFAULT_PACK_NAME = "qualys-activation-keys";

/** Every policy's name, in the order the pack lists them. */
export const QUALYS_POLICY_NAMES: readonly string[] = [...KEY_RULES, ...STACK_RULES].map((rule) => rule.name);

/** The key `all` of the settings sets every policy's level, as in a `--policy-pack-config` file. */
const ALL = "all";

const NOT_A_KEY = `applies to activation keys only (${KEY_TYPE_TOKENS.join(", ")})`;

/** A policy's level and defaults once the pack's own settings are applied. */
interface Resolved {
  level: KeyRule["enforcementLevel"] | "remediate";
  defaults: Record<string, ConfigValue>;
}

/**
 * The policies, with the pack's settings applied. Throws QUALYS_POLICY_CONFIG_ERROR when a setting
 * names no policy or a value its policy cannot use, so a pack with a typo does not start.
 */
export function qualysPolicies(options: QualysPolicyOptions = {}): Policies {
  const settings = options.policies ?? {};
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new QualysPolicyConfigError(problems);
  const now = options.now ?? Date.now;
  const resolve = (rule: KeyRule | StackRule): Resolved => {
    const setting = settings[rule.name];
    const own = typeof setting === "string" ? { enforcementLevel: setting } : (setting ?? {});
    const { enforcementLevel, ...config } = own;
    const all = settings[ALL];
    return { level: enforcementLevel ?? (typeof all === "string" ? all : rule.enforcementLevel), defaults: { ...defaultsOf(rule), ...config } };
  };
  return [...KEY_RULES.map((rule) => keyPolicy(rule, resolve(rule), now)), ...STACK_RULES.map((rule) => stackPolicy(rule, resolve(rule), now))];
}

/**
 * Starts the pack: the PolicyPack serves the policies over gRPC and prints its port, as the engine
 * expects of the program a policy pack runs (see examples/policy-pack).
 */
export function startQualysPolicyPack(options: QualysPolicyPackOptions = {}): PolicyPack {
  const policies = qualysPolicies(options);
  return withConfigureCheck(configureProblems, () => new PolicyPack(options.name ?? DEFAULT_PACK_NAME, { policies, description: "Rules for Qualys Cloud Agent activation keys (pulumi-qualys)." }));
}

/** What GetAnalyzerInfo reports of a policy. */
function described(rule: KeyRule | StackRule, resolved: Resolved): Pick<ResourceValidationPolicy, "name" | "description" | "enforcementLevel" | "configSchema"> {
  return { name: rule.name, description: rule.description, enforcementLevel: resolved.level, configSchema: configSchemaOf(rule, resolved.defaults) };
}

function keyPolicy(rule: KeyRule, resolved: Resolved, now: () => number): ResourceValidationPolicy {
  return {
    ...described(rule, resolved),
    validateResource: (args, reportViolation) => {
      if (!isActivationKey(args.type)) args.notApplicable(NOT_A_KEY);
      const config = resolveConfig<Record<string, ConfigValue>>(rule, resolved.defaults, args.getConfig());
      const message = rule.check(keyView(args.urn, args.props), { config, now: now() });
      if (message !== undefined) reportViolation(message);
    },
  };
}

function stackPolicy(rule: StackRule, resolved: Resolved, now: () => number): StackValidationPolicy {
  return {
    ...described(rule, resolved),
    validateStack: (args, reportViolation) => {
      const keys = args.resources.filter((resource) => isActivationKey(resource.type)).map((resource) => keyView(resource.urn, resource.props));
      if (keys.length === 0) args.notApplicable(NOT_A_KEY);
      const config = resolveConfig<Record<string, ConfigValue>>(rule, resolved.defaults, args.getConfig());
      for (const finding of rule.check(keys, { config, now: now() })) reportViolation(finding.message, finding.urn);
    },
  };
}

function ruleNamed(name: string): KeyRule | StackRule | undefined {
  return [...KEY_RULES, ...STACK_RULES].find((rule) => rule.name === name);
}

function unknownPolicy(name: string): string {
  return `${JSON.stringify(name)} is not a policy of this pack (policies: ${QUALYS_POLICY_NAMES.join(", ")})`;
}

/** Problems of the settings written in the pack's code. */
function settingsProblems(settings: Record<string, PolicySetting>): string[] {
  return Object.entries(settings).flatMap(([name, setting]) => {
    const rule = ruleNamed(name);
    if (!rule && name !== ALL) return [unknownPolicy(name)];
    if (typeof setting === "string") return (ENFORCEMENT_LEVELS as readonly string[]).includes(setting) ? [] : [`${name}: ${JSON.stringify(setting)} is not an enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`];
    return rule ? configProblems(rule, setting) : [`${ALL}: only an enforcement level can apply to every policy`];
  });
}

/** Problems of the configuration an engine sends with Configure. */
function configureProblems(config: ConfigureRequestConfig): string[] {
  return Object.entries(config).flatMap(([name, settings]) => {
    if (name === ALL) return [];
    const rule = ruleNamed(name);
    return rule ? configProblems(rule, settings) : [unknownPolicy(name)];
  });
}
