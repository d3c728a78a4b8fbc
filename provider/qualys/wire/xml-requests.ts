/**
 * The `ServiceRequest` bodies we send to the QPS agentactkey API. Shapes follow the API's published
 * samples and its XSD `ca/agentactkey.xsd` (Qualys Cloud Agent API guide); the answers are read
 * by parse-service-response.ts.
 */
import { QualysError } from "../errors";
import type { AgentActKeyWrite, AgentFilter, QualysOperation, SearchCriteria } from "../types";
import { xmlIllegalCharacterIn } from "./xml-text";

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Body for calls that carry no data (delete, a search for everything). QPS answers a POST without
 * a body with HTTP 415, so an empty ServiceRequest is always sent (ca/api/keys/delete_key.htm).
 */
export const EMPTY_SERVICE_REQUEST = `${XML_DECLARATION}<ServiceRequest></ServiceRequest>`;

/** QPS accepts at most 1000 results per search page (qualys-agentactkey-api.md, "Search and paging"). */
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
 * that an update can clear the collection. The id goes in the body on update because the seed
 * sample does so (the reference page puts it in the path; the caller does both).
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
 * criteria and limit this is the seed's "get all keys" request.
 */
export function buildSearchRequest(criteria: readonly SearchCriteria[] = [], limitResults?: number): string {
  if (criteria.length === 0 && limitResults === undefined) return EMPTY_SERVICE_REQUEST;
  let body = "";
  if (limitResults !== undefined) body += element("preferences", element("limitResults", String(limitResults)));
  if (criteria.length > 0) body += filtersElement(criteria, "search");
  return `${XML_DECLARATION}<ServiceRequest>${body}</ServiceRequest>`;
}

/**
 * Change Activation Key body, as Qualys' "Change Activation Key" page shows it (docs/qualys-api.md,
 * "Change activation key"): `data/ChangeActKey/newActivationKey` and `filters/Criteria`.
 */
export function buildChangeKeyRequest(newActivationKey: string, filters: readonly AgentFilter[]): string {
  const target = element("newActivationKey", escapeXml(xmlText(newActivationKey, "newActivationKey", "changeactkey", undefined)));
  return `${XML_DECLARATION}<ServiceRequest>${element("data", element("ChangeActKey", target))}${filtersElement(filters, "changeactkey")}</ServiceRequest>`;
}

/** `<filters><Criteria field=".." operator="..">value</Criteria>...</filters>`. */
function filtersElement(criteria: readonly (SearchCriteria | AgentFilter)[], operation: QualysOperation): string {
  const value = (c: SearchCriteria | AgentFilter): string => escapeXml(xmlText(c.value, `the ${c.field} filter`, operation, undefined));
  return element("filters", criteria.map((c) => `<Criteria field="${escapeXml(c.field)}" operator="${escapeXml(c.operator)}">${value(c)}</Criteria>`).join(""));
}
