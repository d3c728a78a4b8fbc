/**
 * The typed reading of the `ServiceResponse` the QPS agentactkey API answers with. Shapes follow
 * the API's published samples and its XSD `ca/agentactkey.xsd` (Qualys Cloud Agent API guide);
 * the requests are written by xml-requests.ts.
 */
import { parseStringPromise, processors } from "xml2js";
import type { AgentActKey, AgentAsset, AgentKeyTag } from "../types";

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
