/**
 * Search filters (`filters/Criteria`): which fields are searchable, which operators each field
 * type allows, and whether a key matches. Fields and operators from
 * docs/qualys-api.md, "Search and paging"; all criteria must match (AND).
 */
import { invalidRequest } from "./qps-error";
import type { SearchCriterion } from "./parse-service-request";
import type { SimKey } from "./types";

type FieldKind = "integer" | "text" | "keyword" | "boolean";

const OPERATORS: Record<FieldKind, readonly string[]> = {
  integer: ["EQUALS", "NOT EQUALS", "GREATER", "LESSER", "IN"],
  text: ["EQUALS", "NOT EQUALS", "CONTAINS"],
  keyword: ["EQUALS", "NOT EQUALS", "IN"],
  boolean: ["EQUALS", "NOT EQUALS"],
};

const FIELDS: Record<string, { kind: FieldKind; value: (key: SimKey) => string | number | boolean | undefined }> = {
  id: { kind: "integer", value: (key) => key.id },
  activationKey: { kind: "text", value: (key) => key.activationKey },
  countPurchased: { kind: "integer", value: (key) => key.countPurchased },
  isDisabled: { kind: "boolean", value: (key) => key.isDisabled },
  title: { kind: "text", value: (key) => key.title },
  ownerId: { kind: "integer", value: (key) => key.ownerId },
  type: { kind: "keyword", value: (key) => key.type },
};

/** INVALID_REQUEST for an unknown field, a refused `title` or an operator the field does not allow. */
export function validateCriteria(criteria: readonly SearchCriterion[], titleSearchable: boolean): void {
  for (const criterion of criteria) {
    const field = FIELDS[criterion.field];
    if (!field || (criterion.field === "title" && !titleSearchable)) {
      throw invalidRequest(`field ${criterion.field} is not searchable`, "Filter on id, activationKey, countPurchased or isDisabled.");
    }
    if (!OPERATORS[field.kind].includes(criterion.operator)) {
      throw invalidRequest(
        `Operator ${criterion.operator} is not allowed on field ${criterion.field}.`,
        `Use one of ${OPERATORS[field.kind].join(", ")}.`,
      );
    }
    if (field.kind === "integer" && !criterion.value.split(",").every((part) => /^-?\d+$/.test(part.trim()))) {
      throw invalidRequest(`Field ${criterion.field} needs an integer value, got "${criterion.value}".`);
    }
    if (field.kind === "boolean" && criterion.value !== "true" && criterion.value !== "false") {
      throw invalidRequest(`Field ${criterion.field} needs true or false, got "${criterion.value}".`);
    }
  }
}

/** Whether `key` satisfies every criterion (already validated). */
export function matchesCriteria(key: SimKey, criteria: readonly SearchCriterion[]): boolean {
  return criteria.every((criterion) => matches(key, criterion));
}

function matches(key: SimKey, criterion: SearchCriterion): boolean {
  const field = FIELDS[criterion.field];
  if (!field) return false;
  const actual = field.value(key);
  if (actual === undefined) return criterion.operator === "NOT EQUALS";
  const wanted = criterion.value;
  const numeric = typeof actual === "number";
  const equals = (value: string): boolean => (numeric ? actual === Number(value) : String(actual) === value.trim());
  switch (criterion.operator) {
    case "EQUALS":
      return equals(wanted);
    case "NOT EQUALS":
      return !equals(wanted);
    case "GREATER":
      return numeric && actual > Number(wanted);
    case "LESSER":
      return numeric && actual < Number(wanted);
    case "IN":
      return wanted.split(",").some(equals);
    case "CONTAINS":
      return String(actual).toLowerCase().includes(wanted.toLowerCase());
    default:
      return false;
  }
}
