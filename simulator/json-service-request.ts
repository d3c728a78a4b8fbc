/**
 * A JSON `ServiceRequest` body, turned into the element tree xml2js makes of the same request in
 * XML (explicitArray: every child a list, text as a string, attributes under `$`), so that
 * parse-service-request.ts reads both formats with one set of rules.
 *
 * Public clients POST JSON to the same QPS endpoints (docs/qualys-api.md, "JSON answers, as
 * Qualys' own tooling uses them") and are loose about shapes, so both of these are accepted:
 * - numbers and booleans as JSON values or as strings (`"countPurchased": "3"`);
 * - a one-element list as an object instead of an array: `"list": {"ActivationKeyModule": {...}}`,
 *   `"list": {"ActivationKeyModule": [...]}` and `"list": [{"ActivationKeyModule": {...}}, ...]`
 *   all name the same collection.
 * Filters use QPS's JSON form `"Criteria": [{"field": "id", "operator": "GREATER", "value": "5"}]`.
 */
import { invalidRequest } from "./qps-error";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * How deep a request body's objects and lists may nest. A real ServiceRequest nests about six
 * levels (ServiceRequest, data, ActivationKey, modules, list, ActivationKeyModule); a body nested
 * 150,000 levels overflowed the stack of the conversion below and was answered 500.
 */
const MAX_JSON_DEPTH = 64;

/** Whether `text` opens more than `max` objects or lists inside each other (brackets in strings do not count). */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (++depth > max) return true;
    } else if (c === "}" || c === "]") depth--;
  }
  return false;
}

export function jsonServiceRequest(body: string): unknown {
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw invalidRequest(`The request body nests objects or lists more than ${MAX_JSON_DEPTH} levels deep.`, 'Send {"ServiceRequest": {...}} as the Cloud Agent API user guide shows it.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalidRequest("The request body is not well-formed JSON.", 'Send {"ServiceRequest": {...}}, or a <ServiceRequest> XML document with Content-Type text/xml.');
  }
  const root = isObject(parsed) && Object.hasOwn(parsed, "ServiceRequest") ? parsed["ServiceRequest"] : undefined;
  if (!isObject(root) && root !== null && root !== "") {
    throw invalidRequest("The request body must have a ServiceRequest root element.", 'Send {"ServiceRequest": {...}}.');
  }
  return toNode(root, "ServiceRequest");
}

/** One JSON value as the xml2js node of an element called `name`. */
function toNode(value: unknown, name: string): unknown {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) throw invalidRequest(`Field ${name} holds a list inside a list.`, "Send one list of items per field.");
  const object = value as JsonObject;
  if (name === "Criteria") return criterion(object);
  // Object.fromEntries defines own properties, so a "__proto__" key stays a plain (ignored) field.
  return Object.fromEntries(
    Object.entries(object).map(([childName, childValue]) => [
      childName,
      (Array.isArray(childValue) ? childValue : [childValue]).map((item) => toNode(item, childName)),
    ]),
  );
}

/** `{"field", "operator", "value"}` as xml2js reads `<Criteria field=".." operator="..">value</Criteria>`. */
function criterion(object: JsonObject): unknown {
  const attributes: Record<string, string> = {};
  for (const name of ["field", "operator"]) {
    const value = object[name];
    if (typeof value === "string") attributes[name] = value;
  }
  const value = object["value"];
  if (value !== undefined && (isObject(value) || Array.isArray(value))) {
    throw invalidRequest("A Criteria value must be a string or a number.", 'Send {"field": "id", "operator": "IN", "value": "1,2,3"}.');
  }
  return { $: attributes, _: value === undefined || value === null ? "" : String(value) };
}
