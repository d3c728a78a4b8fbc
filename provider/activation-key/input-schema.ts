/**
 * JSON Schema of the ActivationKey inputs, written from the seed XSD (`AgentActKey` in
 * ca/agentactkey.xsd: id/ownerId/networkId are xs:long, flags xs:boolean, `type` the
 * ActivationKeyType enumeration) plus the documented rules of
 * shared/docs/qualys-agentactkey-api.md ("Fields and their behaviour"). The rules JSON Schema
 * cannot say (a date in the future) live in check.ts.
 */
import type { JSONSchemaType } from "ajv";
import { ACTIVATION_KEY_TYPES, type ActivationKeyType } from "../qualys/types";

/** Inputs as a program may write them, before defaults and normalisation. */
export interface RawActivationKeyInputs {
  title: string;
  type?: ActivationKeyType;
  countPurchased?: number;
  expireDate?: string;
  ownerId?: number;
  modules?: string[];
  tagIds?: number[];
  networkId?: number;
  isDisabled?: boolean;
  applyOnAgents?: boolean;
  suspendSelfPatch?: boolean;
  adopt?: boolean;
}

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.sss]Z` (UTC, as the API documents expireDate). */
export const EXPIRE_DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z)?$";

/** Upper-case license names such as VM_LICENSE; the list grows, so the pattern is not an enum. */
export const LICENSE_NAME_PATTERN = "^\\s*[A-Za-z][A-Za-z0-9_]*\\s*$";

export const activationKeySchema: JSONSchemaType<RawActivationKeyInputs> = {
  type: "object",
  properties: {
    title: { type: "string", minLength: 1, maxLength: 256, pattern: "\\S" },
    type: { type: "string", enum: [...ACTIVATION_KEY_TYPES], nullable: true },
    countPurchased: { type: "integer", minimum: 1, nullable: true },
    expireDate: { type: "string", pattern: EXPIRE_DATE_PATTERN, nullable: true },
    ownerId: { type: "integer", minimum: 1, nullable: true },
    modules: { type: "array", items: { type: "string", pattern: LICENSE_NAME_PATTERN }, nullable: true },
    tagIds: { type: "array", items: { type: "integer", minimum: 1 }, nullable: true },
    networkId: { type: "integer", minimum: 0, nullable: true },
    isDisabled: { type: "boolean", nullable: true },
    applyOnAgents: { type: "boolean", nullable: true },
    suspendSelfPatch: { type: "boolean", nullable: true },
    adopt: { type: "boolean", nullable: true },
  },
  required: ["title"],
  // COUNT_* keys need a purchase count, TIME_* keys an expiry date (API doc, "Fields").
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
