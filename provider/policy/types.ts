/**
 * Shared types of `pulumi-qualys/policy`, the CrossGuard policies for activation keys. One file per
 * area: every other module of `provider/policy/` takes its shapes from here.
 *
 * Only types come from @pulumi/policy here (an optional peer dependency): the policies themselves
 * are plain data and functions, and only `policy-pack.ts` loads @pulumi/policy at run time.
 */
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import type { ACTIVATION_KEY_PROPERTIES, PropertyName, ValueOf } from "../activation-key/properties";

/** A JSON Schema as @pulumi/policy types a config setting's. */
type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

/** A config value as JSON carries it. */
export type ConfigValue = string | number | boolean | readonly string[] | readonly number[];

/** One setting of a policy's configuration. */
export interface ConfigSetting<T extends ConfigValue = ConfigValue> {
  /**
   * Its JSON Schema, as GetAnalyzerInfo reports it: the engine validates `--policy-pack-config`
   * against it and fills in `default` (pulumi/pulumi-policy#186), and the pack validates again.
   */
  schema: PolicyConfigJSONSchema & { description: string; default: T };
  /** A JavaScript regular expression: the pack refuses one that does not compile. */
  regex?: true;
}

/** A policy's settings, by name. */
export type ConfigSettings<C> = { [K in keyof C]: ConfigSetting<C[K] & ConfigValue> };

/**
 * One activation key as a policy sees it. Values are read one property at a time, so that a
 * policy touches only what it judges: @pulumi/policy stops a policy that reads a value unknown
 * during preview (and reports that as advisory), and an unknown property the policy does not read
 * must not stop it.
 */
export interface KeyView {
  /** The resource's name in the program (from its URN): never a property value, so messages may show it. */
  readonly name: string;
  readonly urn: string;
  /** The stack's name, from the URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
  readonly stack: string;
  /** A property's value, typed by the one property definition; undefined when not set. */
  get<K extends PropertyName>(property: K): ValueOf<(typeof ACTIVATION_KEY_PROPERTIES)[K]> | undefined;
}

/** What a policy is given besides the key: its resolved configuration and the clock. */
export interface RuleContext<C> {
  config: C;
  /** Now, in milliseconds since the epoch. */
  now: number;
}

/**
 * A rule over one key. Messages name properties, the rule and the configured bounds, never a value
 * of the key: any input may be a Pulumi secret, and @pulumi/policy hands policies plain values
 * with no mark of which were secret.
 */
export interface KeyRule<C = Record<string, ConfigValue>> {
  name: string;
  description: string;
  /** The level when nothing configures another. */
  enforcementLevel: Exclude<EnforcementLevel, "remediate">;
  config: ConfigSettings<C>;
  /** The violation message, or undefined when the key complies. */
  check(key: KeyView, context: RuleContext<C>): string | undefined;
}

/** One finding of a stack rule: its message, and the key it is about when it is about one. */
export interface StackFinding {
  message: string;
  urn?: string;
}

/** A rule over all the keys of a stack. */
export interface StackRule<C = Record<string, ConfigValue>> {
  name: string;
  description: string;
  enforcementLevel: Exclude<EnforcementLevel, "remediate">;
  config: ConfigSettings<C>;
  check(keys: readonly KeyView[], context: RuleContext<C>): StackFinding[];
}

/** A policy's level and settings, as a pack sets them in code: a level alone, or settings with an optional level. */
export type PolicySetting = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, ConfigValue>);

/** Options of `qualysPolicies` / `startQualysPolicyPack`. */
export interface QualysPolicyOptions {
  /**
   * Per policy name: its enforcement level, or its settings (and level); `all` sets the level of
   * every policy first. These become the defaults the pack reports: `--policy-pack-config` and
   * Pulumi Cloud still override them.
   */
  policies?: Record<string, PolicySetting>;
  /** Milliseconds since the epoch; default `Date.now`. For tests of expiry bounds. */
  now?: () => number;
}

/** Options of `startQualysPolicyPack`. */
export interface QualysPolicyPackOptions extends QualysPolicyOptions {
  /** The pack's name (letters, digits, `-`, `_`, `.`); default `qualys-activation-keys`. */
  name?: string;
}
