/**
 * A policy's configuration: the schema GetAnalyzerInfo reports, its defaults, and the one
 * validation used wherever a configuration arrives (settings written in the pack's code, the
 * engine's Configure call, and the configuration a policy reads when it runs).
 *
 * The engine validates `--policy-pack-config` and Pulumi Cloud's configuration against the schema
 * and fills in its defaults before Configure (pulumi/pulumi#4015, pulumi/pulumi-policy#186); the
 * pack validates again because a JSON Schema cannot say everything (a pattern must compile as a
 * JavaScript regular expression) and because the engine keeps settings it has no schema for.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { QualysPolicyConfigError } from "../qualys/errors";
import type { ConfigSettings, ConfigValue } from "./types";

/** The levels the engine knows (pulumi/pulumi apitype.EnforcementLevel). */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

/** What the configuration helpers need of a rule. */
export interface ConfiguredRule {
  name: string;
  config: ConfigSettings<Record<string, ConfigValue>>;
}

/** Each setting's default as the rule declares it. */
export function defaultsOf(rule: ConfiguredRule): Record<string, ConfigValue> {
  return Object.fromEntries(Object.entries(rule.config).map(([key, setting]) => [key, setting.schema.default]));
}

/** The schema GetAnalyzerInfo reports, with `defaults` (the rule's, or the pack's own) as each setting's default. */
export function configSchemaOf(rule: ConfiguredRule, defaults: Record<string, ConfigValue>): PolicyConfigSchema {
  return { properties: Object.fromEntries(Object.entries(rule.config).map(([key, setting]) => [key, { ...setting.schema, default: defaults[key] }])) };
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true }); // verbose: errors carry the value, quoted back
const validators = new WeakMap<ConfiguredRule, ValidateFunction>();

function validatorOf(rule: ConfiguredRule): ValidateFunction {
  let validate = validators.get(rule);
  if (!validate) {
    const properties = { ...configSchemaOf(rule, defaultsOf(rule)).properties, enforcementLevel: { enum: [...ENFORCEMENT_LEVELS] } };
    validate = ajv.compile({ type: "object", properties, additionalProperties: false });
    validators.set(rule, validate);
  }
  return validate;
}

/** What is wrong with one policy's configuration, each problem naming the policy and the setting; empty when usable. */
export function configProblems(rule: ConfiguredRule, config: Record<string, unknown>): string[] {
  const validate = validatorOf(rule);
  const problems = validate(config) ? [] : (validate.errors ?? []).map((error) => describe(rule, error));
  for (const [key, setting] of Object.entries(rule.config)) {
    const pattern = config[key];
    if (setting.regex && typeof pattern === "string" && !compiles(pattern)) problems.push(`${rule.name}: ${key} is not a JavaScript regular expression (got ${JSON.stringify(pattern)})`);
  }
  return problems;
}

/** The configuration a policy runs with: `defaults` overlaid with what was configured. Throws QUALYS_POLICY_CONFIG_ERROR. */
export function resolveConfig<C>(rule: ConfiguredRule, defaults: Record<string, ConfigValue>, configured: Record<string, unknown>): C {
  const config = { ...defaults, ...configured };
  const problems = configProblems(rule, config);
  if (problems.length > 0) throw new QualysPolicyConfigError(problems);
  const { enforcementLevel: _level, ...settings } = config;
  return settings as C;
}

function describe(rule: ConfiguredRule, error: ErrorObject): string {
  if (error.keyword === "additionalProperties") {
    const settings = [...Object.keys(rule.config), "enforcementLevel"].join(", ");
    return `${rule.name}: ${JSON.stringify(error.params.additionalProperty)} is not one of its settings (${settings})`;
  }
  const setting = error.instancePath.slice(1).split("/").join("[") + (error.instancePath.split("/").length > 2 ? "]" : "");
  const allowed = error.keyword === "enum" ? ` (${(error.params.allowedValues as string[]).join(", ")})` : "";
  return `${rule.name}: ${setting || "the configuration"} ${error.message ?? "is invalid"}${allowed} (got ${JSON.stringify(error.data)})`;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
