/**
 * Writes the TypeScript types of the dynamic resource (`ActivationKeyArgs`, and the Output
 * properties of `ActivationKey`) from the one property definition, TSDoc included, so that the
 * types users see cannot disagree with the validation or the plugin schema (issue 9).
 * A build tool, never shipped: `npm run generate` rewrites activation-key-types.ts; tests/repository/typescript-codegen.test.ts
 * fails when the committed file is not what this produces.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACTIVATION_KEY_PROPERTIES, ALWAYS_SET_NAMES, type PropertyName, type PropertySpec } from "../provider/activation-key/properties";

/** The file's path in the source tree. */
export const TYPES_FILE = "provider/dynamic/activation-key-types.ts";

/**
 * `input`: the spellings a declaration may use. The core accepts an enumerated value in any case
 * and stores it upper case, so inputs take the lower-case spelling too (the README writes
 * `type: "count_limited"`); outputs are what Qualys holds, upper case only.
 */
function valueType(spec: PropertySpec, wrap: (t: string) => string, input = false): string {
  if (spec.enum) {
    const values = spec.enum.map((v) => JSON.stringify(v)).join(" | ");
    return input ? `${values} | Lowercase<${values}>` : values;
  }
  switch (spec.type) {
    case "string":
      return "string";
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return `${wrap(spec.items?.type === "integer" ? "number" : "string")}[]`;
  }
}

function doc(spec: PropertySpec): string {
  return `  /** ${spec.description} */`;
}

/** The source text of activation-key-types.ts. */
export function activationKeyTypesSource(): string {
  const names = Object.keys(ACTIVATION_KEY_PROPERTIES) as PropertyName[];
  const spec = (name: PropertyName): PropertySpec => ACTIVATION_KEY_PROPERTIES[name];
  const lines = [
    "// Generated from provider/activation-key/properties.ts by `npm run generate`. Do not edit.",
    'import type * as pulumi from "@pulumi/pulumi";',
    "",
    "/** Inputs of an ActivationKey. Every field updates the key in place; only a change of rotationTrigger replaces it (a rotation). */",
    "export interface ActivationKeyArgs {",
  ];
  for (const name of names.filter((n) => spec(n).role === "input")) {
    const optional = spec(name).required ? "" : "?";
    lines.push(doc(spec(name)), `  ${name}${optional}: pulumi.Input<${valueType(spec(name), (t) => `pulumi.Input<${t}>`, true)}>;`);
  }
  lines.push("}", "", "/** What an ActivationKey exposes: every input as Qualys holds it, plus what Qualys reports. */", "export interface ActivationKeyOutputProperties {");
  for (const name of names) {
    const value = valueType(spec(name), (t) => t);
    const type = ALWAYS_SET_NAMES.includes(name) ? value : `${value} | undefined`;
    lines.push(doc(spec(name)), `  readonly ${name}: pulumi.Output<${type}>;`);
  }
  lines.push("}", "");
  return lines.join("\n");
}

if (require.main === module) {
  writeFileSync(join(process.argv[2] ?? ".", TYPES_FILE), activationKeyTypesSource());
}
