/**
 * XML bodies of the QPS agentactkey API: `ServiceRequest` bodies we send and the typed reading of
 * the `ServiceResponse` we get back. Shapes follow the Cloud Agent API guide's activation key
 * samples and the XSD `ca/agentactkey.xsd` (docs/qualys-api.md, "Fields and their behaviour").
 */
import { parseStringPromise, processors } from "xml2js";
import { QualysError } from "../errors";
import type { AgentActKey, AgentActKeyWrite, AgentAsset, AgentKeyTag, QualysOperation, SearchCriteria } from "../types";
import { xmlIllegalCharacterIn } from "./xml-text";

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Body for calls that carry no data (delete, a search for everything). QPS answers a POST without
 * a body with HTTP 415, so an empty ServiceRequest is always sent (ca/api/keys/delete_key.htm).
 */
export const EMPTY_SERVICE_REQUEST = `${XML_DECLARATION}<ServiceRequest></ServiceRequest>`;

/** QPS accepts at most 1000 results per search page (docs/qualys-api.md, "Search and paging"). */
export const MAX_SEARCH_PAGE = 1000;

/**
 * `value`, when XML can carry it. Otherwise a typed QUALYS_INVALID_INPUT naming the field, instead
 * of xmlbuilder's bare Error ("Invalid character in string") with no code. `check` refuses such a
 * title at preview already; this guards every other way in (the client used directly, a search).
 */
function xmlText(value: string, field: string, operation: QualysOperation, title: string | undefined): string {
  const illegal = xmlIllegalCharacterIn(value);
  if (illegal === undefined) return value;
  throw new QualysError(
    "QUALYS_INVALID_INPUT",
    `Qualys ${operation}${title === undefined ? "" : ` key ${JSON.stringify(title)}`} not sent: ${field} holds a character XML cannot carry ` +
      `(${illegal}), and Qualys' API is XML. Remove control characters, U+FFFE/U+FFFF and unpaired surrogates from ${field}.`,
    { operation, title },
  );
}

/**
 * Request bodies are written directly rather than through xml2js's Builder: a request is a fixed,
 * shallow shape, and building a document tree for it cost more CPU than the rest of our own work
 * on a call (issue 12, measured with --cpu-prof). Text and attribute values are escaped here.
 */
function element(name: string, content: string): string {
  return content === "" ? `<${name}/>` : `<${name}>${content}</${name}>`;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Create (no `id`) or update (`id` given) body: `ServiceRequest/data/AgentActKey`. Elements follow
 * the XSD sequence (id, countPurchased, type, expireDate, title, networkId, isDisabled,
 * applyOnAgents, modules, tags, suspendSelfPatch, ownerId) because QPS unmarshals with JAXB.
 * Undefined fields are omitted; an empty `modules`/`tagIds` array is sent as an empty `<list/>` so
 * that an update can clear the collection. The id goes in the body on update because the Cloud
 * Agent API guide's update sample does so (the reference page puts it in the path; the caller does
 * both).
 */
export function buildKeyWriteRequest(key: AgentActKeyWrite, id?: number): string {
  const operation = id === undefined ? "create" : "update";
  const text = (value: string, field: string): string => escapeXml(xmlText(value, field, operation, key.title));
  let fields = "";
  const put = (name: string, value: string | number | boolean | undefined): void => {
    if (value !== undefined) fields += element(name, text(String(value), name));
  };
  put("id", id);
  put("countPurchased", key.countPurchased);
  put("type", key.type);
  put("expireDate", key.expireDate);
  put("title", key.title);
  put("networkId", key.networkId);
  put("isDisabled", key.isDisabled);
  put("applyOnAgents", key.applyOnAgents);
  if (key.modules !== undefined) {
    fields += element("modules", element("list", key.modules.map((license) => element("ActivationKeyModule", element("license", text(license, "modules")))).join("")));
  }
  if (key.tagIds !== undefined) {
    fields += element("tags", element("list", key.tagIds.map((tagId) => element("Tag", element("id", String(tagId)))).join("")));
  }
  put("suspendSelfPatch", key.suspendSelfPatch);
  put("ownerId", key.ownerId);
  return `${XML_DECLARATION}<ServiceRequest><data><AgentActKey>${fields}</AgentActKey></data></ServiceRequest>`;
}

/**
 * Search body: `preferences/limitResults` and `filters/Criteria[@field,@operator]`. Without
 * criteria and limit this is the Cloud Agent API guide's "get all keys" request.
 */
export function buildSearchRequest(criteria: readonly SearchCriteria[] = [], limitResults?: number): string {
  if (criteria.length === 0 && limitResults === undefined) return EMPTY_SERVICE_REQUEST;
  let body = "";
  if (limitResults !== undefined) body += element("preferences", element("limitResults", String(limitResults)));
  if (criteria.length > 0) {
    const value = (c: SearchCriteria): string => escapeXml(xmlText(c.value, `the ${c.field} filter`, "search", undefined));
    const each = criteria.map((c) => `<Criteria field="${escapeXml(c.field)}" operator="${escapeXml(c.operator)}">${value(c)}</Criteria>`);
    body += element("filters", each.join(""));
  }
  return `${XML_DECLARATION}<ServiceRequest>${body}</ServiceRequest>`;
}

/** A `ServiceResponse`, typed. */
export interface ServiceResponse {
  /** `SUCCESS` or an error code such as `CA_1001_DUPLICATE_KEY`. */
  responseCode: string;
  count?: number;
  /** Wire string "true"/"false" as a boolean; `undefined` when absent (get, create, update). */
  hasMoreRecords?: boolean;
  lastId?: number;
  /** Keys under `data`, in server order; empty when there is no `data`. */
  keys: AgentActKey[];
  /** Keys under `data` that could not be read exactly (see `parseKeys` for the rule), in server order. */
  unreadableKeys: UnreadableKey[];
  errorMessage?: string;
  errorResolution?: string;
}

/** One `AgentActKey` of an answer that this client cannot represent exactly. */
export interface UnreadableKey {
  /** Its id, when the id itself was readable. */
  id?: number;
  /** Its title, when readable: to name the key in a warning or an error. */
  title?: string;
  /** What could not be read, e.g. `<countPurchased> "9007199254740993" is beyond ±2^53`. Server text: redact before showing. */
  reason: string;
}

/** The body is not a readable `ServiceResponse` (HTML, truncated XML, another root element). */
export class ServiceResponseFormatError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ServiceResponseFormatError";
  }
}

// xml2js with explicitArray: every child is an array; text-only elements are strings.
type XmlElement = { [name: string]: XmlValue[] | undefined };
type XmlValue = string | XmlElement;

/**
 * Parses a `ServiceResponse`. Values are trimmed (the Cloud Agent API guide's samples are indented
 * and wrapped); whitespace inside `activationKey`, `uuid` and dates is removed (the samples' PDF
 * wrapping breaks activation keys across lines). Elements absent from the XML stay `undefined`; an
 * empty `<list/>` gives `[]`. Throws `ServiceResponseFormatError` for anything that is not one.
 */
export async function parseServiceResponse(xml: string): Promise<ServiceResponse> {
  if (!xml.trim()) throw new ServiceResponseFormatError("empty body");
  let doc: unknown;
  try {
    doc = await parseStringPromise(xml, {
      explicitArray: true,
      ignoreAttrs: true,
      emptyTag: "",
      tagNameProcessors: [processors.stripPrefix],
    });
  } catch (error) {
    throw new ServiceResponseFormatError(`not well-formed XML (${(error as Error).message.split("\n")[0]})`);
  }
  // The root element is the one value xml2js does not wrap in an array.
  const root = isElement(doc) ? (doc as Record<string, XmlValue | undefined>).ServiceResponse : undefined;
  if (root === undefined) {
    const rootName = isElement(doc) ? Object.keys(doc)[0] : undefined;
    throw new ServiceResponseFormatError(`expected a ServiceResponse document, got <${rootName === undefined ? "nothing" : quoted(rootName)}>`);
  }
  const top = asElement(root, "ServiceResponse");
  const responseCode = text(top, "responseCode");
  if (!responseCode) throw new ServiceResponseFormatError("ServiceResponse has no responseCode");
  const details = child(top, "responseErrorDetails");
  const data = child(top, "data");
  const { keys, unreadableKeys } = parseKeys(data?.AgentActKey ?? []);
  return {
    responseCode,
    count: integer(top, "count"),
    hasMoreRecords: boolean(top, "hasMoreRecords"),
    lastId: integer(top, "lastId"),
    keys,
    unreadableKeys,
    errorMessage: details ? text(details, "errorMessage") : undefined,
    errorResolution: details ? text(details, "errorResolution") : undefined,
  };
}

/**
 * The rule for one odd key (issue 11): a key is read whole or not at all. A value this client
 * cannot represent exactly — an integer beyond ±2^53 (JavaScript numbers would round it), a
 * non-numeric or missing id, a boolean that is neither true nor false, a list item without its id —
 * makes the whole key unreadable, never a key with that field dropped or rounded: a dropped
 * `countPurchased` would read as drift and be "fixed" by an update, a rounded `ownerId` would point
 * at another user. The other keys of the answer are unaffected, so one odd key never breaks a
 * search; the API layer then skips it from a search with a warning and fails a get, create or read
 * of that key with QUALYS_UNREADABLE_KEY (agentactkey-api.ts). A key whose id is unreadable is
 * reported the same way, never silently dropped.
 */
function parseKeys(values: XmlValue[]): { keys: AgentActKey[]; unreadableKeys: UnreadableKey[] } {
  const keys: AgentActKey[] = [];
  const unreadableKeys: UnreadableKey[] = [];
  for (const value of values) {
    try {
      keys.push(parseKey(asElement(value, "AgentActKey")));
    } catch (error) {
      if (!(error instanceof ServiceResponseFormatError)) throw error;
      const unreadable: UnreadableKey = { reason: error.message };
      const id = attempt(() => integer(asElement(value, "AgentActKey"), "id"));
      const title = attempt(() => text(asElement(value, "AgentActKey"), "title"));
      if (id !== undefined) unreadable.id = id;
      if (title !== undefined) unreadable.title = title;
      unreadableKeys.push(unreadable);
    }
  }
  return { keys, unreadableKeys };
}

/** `read()`, or undefined when it throws a format error: for naming an unreadable key. */
function attempt<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof ServiceResponseFormatError) return undefined;
    throw error;
  }
}

/**
 * A server value for a message: whole when short, else only its length. Never cut: a cut value
 * could end inside an echoed password, and a partial password escapes redaction.
 */
function quoted(value: string): string {
  return value.length <= 40 ? `"${value}"` : `(a value of ${value.length} characters)`;
}

function parseKey(el: XmlElement): AgentActKey {
  const id = integer(el, "id");
  if (id === undefined) throw new ServiceResponseFormatError("AgentActKey without id");
  const key: AgentActKey = {
    id,
    uuid: compact(el, "uuid"),
    activationKey: compact(el, "activationKey"),
    status: text(el, "status") as AgentActKey["status"],
    countPurchased: integer(el, "countPurchased"),
    countUsed: integer(el, "countUsed"),
    datePurchased: compact(el, "datePurchased"),
    dateLastUsed: compact(el, "dateLastUsed"),
    type: text(el, "type") as AgentActKey["type"],
    expireDate: compact(el, "expireDate"),
    title: text(el, "title"),
    networkId: integer(el, "networkId"),
    isDisabled: boolean(el, "isDisabled"),
    applyOnAgents: boolean(el, "applyOnAgents"),
    modules: qlist(el, "modules", "ActivationKeyModule", (m) => required(text(m, "license"), "ActivationKeyModule/license")),
    tags: qlist(el, "tags", "Tag", parseTag),
    agents: qlist(el, "agents", "AgentAsset", parseAgent),
    suspendSelfPatch: boolean(el, "suspendSelfPatch"),
    ownerId: integer(el, "ownerId"),
  };
  // Keep "missing in the XML" distinguishable from "present": no keys holding undefined.
  for (const name of Object.keys(key) as (keyof AgentActKey)[]) if (key[name] === undefined) delete key[name];
  return key;
}

function parseTag(el: XmlElement): AgentKeyTag {
  const tag: AgentKeyTag = { id: required(integer(el, "id"), "Tag/id") };
  const name = text(el, "name");
  if (name !== undefined) tag.name = name;
  return tag;
}

function parseAgent(el: XmlElement): AgentAsset {
  const agent: AgentAsset = { id: required(integer(el, "id"), "AgentAsset/id") };
  const uuid = compact(el, "uuid");
  const name = text(el, "name");
  if (uuid !== undefined) agent.uuid = uuid;
  if (name !== undefined) agent.name = name;
  return agent;
}

/** A QList (`<name><list><item/>...</list></name>`); items of every `list` element, in order. */
function qlist<T>(el: XmlElement, name: string, item: string, parse: (e: XmlElement) => T): T[] | undefined {
  const holder = child(el, name);
  if (holder === undefined) return undefined;
  return elements(holder, "list").flatMap((list) => elements(list, item).map(parse));
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asElement(value: XmlValue, name: string): XmlElement {
  // An element with no children parses as the empty-tag string.
  if (typeof value === "string") {
    if (value.trim() === "") return {};
    throw new ServiceResponseFormatError(`<${name}> holds text where elements were expected`);
  }
  return value;
}

function child(el: XmlElement, name: string): XmlElement | undefined {
  const first = el[name]?.[0];
  return first === undefined ? undefined : asElement(first, name);
}

function elements(el: XmlElement, name: string): XmlElement[] {
  return (el[name] ?? []).map((v) => asElement(v, name));
}

/** Trimmed text of a child element; `undefined` when absent or empty. */
function text(el: XmlElement, name: string): string | undefined {
  const first = el[name]?.[0];
  if (first === undefined) return undefined;
  if (typeof first !== "string") throw new ServiceResponseFormatError(`<${name}> holds elements where text was expected`);
  const trimmed = first.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Text with all whitespace removed: for tokens that never contain spaces (keys, uuids, dates). */
function compact(el: XmlElement, name: string): string | undefined {
  return text(el, name)?.replace(/\s+/g, "");
}

/** An integer held exactly: digits only, within ±(2^53 - 1), so `Number()` never rounds it. */
function integer(el: XmlElement, name: string): number | undefined {
  const value = compact(el, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new ServiceResponseFormatError(`<${name}> is not an integer: ${quoted(value)}`);
  if (!Number.isSafeInteger(Number(value))) {
    throw new ServiceResponseFormatError(`<${name}> ${quoted(value)} is beyond ±2^53, the largest integer this client holds exactly`);
  }
  return Number(value);
}

function boolean(el: XmlElement, name: string): boolean | undefined {
  const value = compact(el, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") {
    throw new ServiceResponseFormatError(`<${name}> is not a boolean: ${quoted(value)}`);
  }
  return value === "true";
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ServiceResponseFormatError(`${what} is missing`);
  return value;
}
