/**
 * Reads a QPS `ServiceRequest` body into typed request objects. XML is read with xml2js; a JSON
 * body is first turned into the same element tree (json-service-request.ts), so both formats pass
 * through one set of rules and refuse nonsense with the same INVALID_REQUEST texts. Field and
 * collection names follow the XSD of the Cloud Agent API guide's activation key samples
 * (docs/qualys-api.md, "Fields and their behaviour"); collections
 * follow the QPS QList convention: `list`/`set` replace, `add`/`remove` are incremental.
 */
import { parseStringPromise } from "xml2js";
import { jsonServiceRequest } from "./json-service-request";
import { invalidRequest } from "./qps-error";

/** A collection change as written in a QList element. */
export interface QListChange<T> {
  /** From `<list>` or `<set>`: the new full collection. */
  replace?: T[];
  add: T[];
  remove: T[];
}

/** A tag as a request names it: by id, or by name alone (resolved in tag-names.ts). */
export interface RequestedTag {
  id?: number;
  name?: string;
}

/** The AgentActKey fields a create or update request may carry. */
export interface KeyWriteRequest {
  id?: number;
  title?: string;
  type?: string;
  countPurchased?: number;
  expireDate?: string;
  ownerId?: number;
  networkId?: number;
  isDisabled?: boolean;
  suspendSelfPatch?: boolean;
  applyOnAgents?: boolean;
  modules?: QListChange<string>;
  tags?: QListChange<RequestedTag>;
}

export interface SearchCriterion {
  field: string;
  operator: string;
  value: string;
}

interface SearchRequest {
  limitResults?: number;
  /** `preferences/startFromOffset`: 1-based position of the first match to answer. */
  startFromOffset?: number;
  criteria: SearchCriterion[];
}

/** A Change Activation Key request (ca/api/keys/change_activation_key.htm). */
export interface ChangeKeyRequest {
  /** The target key's activation key value (not its id). */
  newActivationKey: string;
  /** The agents to move; the handler requires at least one. */
  criteria: SearchCriterion[];
}

/** Parsed root: the content of `<ServiceRequest>` (empty string when it has no children). */
export type ServiceRequestRoot = unknown;

/** Parses the body; INVALID_REQUEST when it is not XML (or JSON, with `json`) or not a ServiceRequest. */
export async function parseServiceRequest(body: string, json = false): Promise<ServiceRequestRoot> {
  if (json) return jsonServiceRequest(body);
  let parsed: unknown;
  try {
    parsed = await parseStringPromise(body, { explicitArray: true, trim: true });
  } catch {
    throw invalidRequest("The request body is not well-formed XML.", "Send a <ServiceRequest> XML document.");
  }
  if (!isElement(parsed) || !("ServiceRequest" in parsed)) {
    throw invalidRequest("The request body must have a <ServiceRequest> root element.");
  }
  return parsed["ServiceRequest"];
}

/** The single `data/AgentActKey` of a create/update request. */
export function parseKeyWrite(root: ServiceRequestRoot): KeyWriteRequest {
  const key = child(child(root, "data"), "AgentActKey");
  if (key === undefined) {
    throw invalidRequest("The request has no data/AgentActKey element.", "Wrap the key in <data><AgentActKey>.");
  }
  return {
    id: optionalInteger(key, "id"),
    title: childText(key, "title"),
    type: childText(key, "type"),
    countPurchased: optionalInteger(key, "countPurchased"),
    expireDate: childText(key, "expireDate"),
    ownerId: optionalInteger(key, "ownerId"),
    networkId: optionalInteger(key, "networkId"),
    isDisabled: optionalBoolean(key, "isDisabled"),
    suspendSelfPatch: optionalBoolean(key, "suspendSelfPatch"),
    applyOnAgents: optionalBoolean(key, "applyOnAgents"),
    modules: parseQList(child(key, "modules"), "ActivationKeyModule", parseModule),
    tags: parseQList(child(key, "tags"), "Tag", parseTag),
  };
}

/** `data/ChangeActKey/newActivationKey` and `filters/Criteria` of a Change Activation Key request. */
export function parseChangeKey(root: ServiceRequestRoot): ChangeKeyRequest {
  const change = child(child(root, "data"), "ChangeActKey");
  const newActivationKey = change === undefined ? undefined : childText(change, "newActivationKey");
  if (!newActivationKey) {
    throw invalidRequest(
      "The request has no data/ChangeActKey/newActivationKey.",
      "Send <data><ChangeActKey><newActivationKey>the target key's activation key</newActivationKey></ChangeActKey></data>.",
    );
  }
  return { newActivationKey, criteria: parseCriteria(root) };
}

/** `preferences/limitResults` and `filters/Criteria` of a search request. */
export function parseSearch(root: ServiceRequestRoot): SearchRequest {
  const criteria = parseCriteria(root);
  const preferences = child(root, "preferences");
  return {
    limitResults: optionalInteger(preferences, "limitResults"),
    startFromOffset: optionalInteger(preferences, "startFromOffset"),
    criteria,
  };
}

function parseCriteria(root: ServiceRequestRoot): SearchCriterion[] {
  return children(child(root, "filters"), "Criteria").map((node): SearchCriterion => {
    const attributes = isElement(node) && isElement(node["$"]) ? node["$"] : {};
    const field = attributes["field"];
    const operator = attributes["operator"];
    if (typeof field !== "string" || typeof operator !== "string") {
      throw invalidRequest("Every Criteria needs a field and an operator attribute.");
    }
    return { field, operator, value: text(node) };
  });
}

function parseQList<T>(node: unknown, itemName: string, parseItem: (item: unknown) => T): QListChange<T> | undefined {
  if (node === undefined) return undefined;
  const items = (verb: string): unknown[] =>
    children(node, verb).flatMap((group) => {
      // `<list/>` is an empty collection (the Cloud Agent API guide's update sample sends
      // `<agents><list /></agents>`); text or other elements in its place are not a collection at
      // all.
      const stray = isElement(group) ? Object.keys(group).find((name) => name !== itemName && name !== "$") : group === "" ? undefined : "text";
      if (stray !== undefined) throw invalidRequest(`A ${verb} may only hold ${itemName} elements, got ${stray}.`, `Write <${verb}><${itemName}>...</${itemName}></${verb}>.`);
      return children(group, itemName);
    });
  const hasReplace = child(node, "list") !== undefined || child(node, "set") !== undefined;
  return {
    replace: hasReplace ? [...items("list"), ...items("set")].map(parseItem) : undefined,
    add: items("add").map(parseItem),
    remove: items("remove").map(parseItem),
  };
}

function parseModule(item: unknown): string {
  const license = childText(item, "license");
  if (!license) throw invalidRequest("ActivationKeyModule needs a license, e.g. <license>VM_LICENSE</license>.");
  return license;
}

function parseTag(item: unknown): RequestedTag {
  const id = optionalInteger(item, "id");
  const name = childText(item, "name") || undefined;
  if (id === undefined && name === undefined) throw invalidRequest("Tag needs an id or a name, e.g. <Tag><id>12345</id></Tag> or <Tag><name>Prod</name></Tag>.");
  return { id, name };
}

function optionalInteger(node: unknown, name: string): number | undefined {
  const value = childText(node, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw invalidRequest(`Field ${name} must be an integer, got "${value}".`);
  return Number(value);
}

function optionalBoolean(node: unknown, name: string): boolean | undefined {
  const value = childText(node, name);
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw invalidRequest(`Field ${name} must be true or false, got "${value}".`);
  return value === "true";
}

type Element = Record<string, unknown>;

function isElement(node: unknown): node is Element {
  return typeof node === "object" && node !== null && !Array.isArray(node);
}

function children(node: unknown, name: string): unknown[] {
  if (!isElement(node)) return [];
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

function child(node: unknown, name: string): unknown {
  return children(node, name)[0];
}

function text(node: unknown): string {
  if (typeof node === "string") return node.trim();
  if (isElement(node) && typeof node["_"] === "string") return node["_"].trim();
  return "";
}

/** A field holding one value; INVALID_REQUEST when it is repeated or holds elements. */
function childText(node: unknown, name: string): string | undefined {
  const values = children(node, name);
  if (values.length > 1) throw invalidRequest(`Field ${name} appears ${values.length} times.`, `Send ${name} once.`);
  const value = values[0];
  if (value === undefined) return undefined;
  if (isElement(value) && Object.keys(value).some((key) => key !== "_" && key !== "$")) {
    throw invalidRequest(`Field ${name} must hold a value, not elements.`, `Send ${name} as text, e.g. <${name}>...</${name}>.`);
  }
  return text(value);
}
