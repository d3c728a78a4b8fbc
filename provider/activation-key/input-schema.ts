/**
 * The JSON Schema `check` validates ActivationKey inputs with, built from the one property
 * definition (properties.ts), plus the cross-field rules of docs/qualys-api.md
 * ("Fields"): COUNT_* keys need a purchase count, TIME_* keys an expiry date. The rules JSON Schema
 * cannot say (a date in the future, limits that do not apply to a type) live in check.ts.
 */
import type { SchemaObject } from "ajv";
import { ACTIVATION_KEY_PROPERTIES, INPUT_NAMES, type PropertySpec } from "./properties";

/** The JSON Schema of one property (the validation keywords only: no description, no default). */
export function jsonSchemaOf(spec: PropertySpec): SchemaObject {
  const schema: SchemaObject = { type: spec.type };
  for (const keyword of ["enum", "minimum", "maximum", "minLength", "maxLength", "pattern"] as const) {
    if (spec[keyword] !== undefined) schema[keyword] = spec[keyword];
  }
  if (spec.items) schema.items = { ...spec.items };
  return schema;
}

export const activationKeySchema: SchemaObject = {
  type: "object",
  properties: Object.fromEntries(INPUT_NAMES.map((name) => [name, jsonSchemaOf(ACTIVATION_KEY_PROPERTIES[name])])),
  required: INPUT_NAMES.filter((name) => (ACTIVATION_KEY_PROPERTIES[name] as PropertySpec).required),
  allOf: [
    {
      if: { properties: { type: { const: "COUNT_LIMITED" } }, required: ["type"] },
      then: { required: ["countPurchased"] },
    },
    {
      if: { properties: { type: { const: "COUNT_TIME_LIMITED" } }, required: ["type"] },
      then: { required: ["countPurchased", "expireDate"] },
    },
    {
      if: { properties: { type: { const: "TIME_LIMITED" } }, required: ["type"] },
      then: { required: ["expireDate"] },
    },
  ],
  additionalProperties: false,
};
