/**
 * QPS filters (`filters/Criteria`): which fields a request may filter on, which operators each
 * field allows, and whether an item matches. All criteria must match (AND). Two tables use it: the
 * key search (fields and operators from docs/qualys-api.md, "Search and paging")
 * and the agent filters of Change Activation Key (change-key-handler.ts).
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

/** A field's value; a list (an agent's tag names) matches when any element does (NOT EQUALS: none). */
type FieldValue = string | number | boolean | undefined | readonly string[];

/** One filterable field: its kind, the operators it allows (default: its kind's), how to read it. */
export interface FilterField<T> {
  kind: FieldKind;
  operators?: readonly string[];
  value: (item: T) => FieldValue;
}

export type FilterFields<T> = Record<string, FilterField<T>>;

/** The key search's fields. */
export const KEY_SEARCH_FIELDS: FilterFields<SimKey> = {
  id: { kind: "integer", value: (key) => key.id },
  activationKey: { kind: "text", value: (key) => key.activationKey },
  countPurchased: { kind: "integer", value: (key) => key.countPurchased },
  isDisabled: { kind: "boolean", value: (key) => key.isDisabled },
  title: { kind: "text", value: (key) => key.title },
  ownerId: { kind: "integer", value: (key) => key.ownerId },
  type: { kind: "keyword", value: (key) => key.type },
};

/**
 * INVALID_REQUEST for an unknown field or an operator the field does not allow. `hint` names the
 * fields to use instead.
 */
export function validateCriteria<T>(criteria: readonly SearchCriterion[], fields: FilterFields<T>, hint: string): void {
  for (const criterion of criteria) {
    const field = Object.hasOwn(fields, criterion.field) ? fields[criterion.field] : undefined;
    if (!field) throw invalidRequest(`field ${criterion.field} is not searchable`, hint);
    const operators = field.operators ?? OPERATORS[field.kind];
    if (!operators.includes(criterion.operator)) {
      throw invalidRequest(`Operator ${criterion.operator} is not allowed on field ${criterion.field}.`, `Use one of ${operators.join(", ")}.`);
    }
    if (field.kind === "integer" && !criterion.value.split(",").every((part) => /^-?\d+$/.test(part.trim()))) {
      throw invalidRequest(`Field ${criterion.field} needs an integer value, got "${criterion.value}".`);
    }
    if (field.kind === "boolean" && criterion.value !== "true" && criterion.value !== "false") {
      throw invalidRequest(`Field ${criterion.field} needs true or false, got "${criterion.value}".`);
    }
  }
}

/** Whether `item` satisfies every criterion (already validated against `fields`). */
export function matchesCriteria<T>(item: T, criteria: readonly SearchCriterion[], fields: FilterFields<T>): boolean {
  return criteria.every((criterion) => {
    const field = fields[criterion.field];
    if (!field) return false;
    const actual = field.value(item);
    if (Array.isArray(actual)) {
      if (criterion.operator === "NOT EQUALS") return !actual.some((one) => matches(one, { ...criterion, operator: "EQUALS" }));
      return actual.some((one) => matches(one, criterion));
    }
    return matches(actual as Exclude<FieldValue, readonly string[]>, criterion);
  });
}

function matches(actual: string | number | boolean | undefined, criterion: SearchCriterion): boolean {
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
