/**
 * The agentactkey endpoints of QPS REST 1.0 (docs/qualys-api.md, "Endpoints") and Change
 * Activation Key (docs/qualys-api.md, "Change activation key"), each one `runQpsCall` with its
 * path, body and idempotency.
 */
import { QualysError, QualysHttpError, QualysUnreadableKeyError } from "../errors";
import { redactText } from "../redact";
import { runQpsCall, type QpsCallDeps } from "./qps-call";
import { searchAllPages } from "./search-all-pages";
import type { AgentActKey, AgentActKeyApi, AgentActKeyWrite, AgentMove, QualysOperation, SearchAllOptions, SearchCriteria, SearchPage } from "../types";
import type { UnreadableKey } from "../wire/parse-service-response";
import { buildChangeKeyRequest, buildKeyWriteRequest, buildSearchRequest, EMPTY_SERVICE_REQUEST, MAX_SEARCH_PAGE } from "../wire/xml-requests";

const BASE = "/qps/rest/1.0";

export function createAgentActKeyApi(deps: QpsCallDeps): AgentActKeyApi {
  const searchPage = async (criteria: SearchCriteria[] = [], limitResults?: number): Promise<SearchPage> => {
    if (limitResults !== undefined && !(Number.isInteger(limitResults) && limitResults >= 1 && limitResults <= MAX_SEARCH_PAGE)) {
      throw new QualysError("QUALYS_INVALID_INPUT", `limitResults must be an integer from 1 to ${MAX_SEARCH_PAGE}, got ${limitResults}.`, {
        operation: "search",
      });
    }
    const res = await runQpsCall(deps, {
      operation: "search",
      idempotent: true,
      method: "POST",
      path: `${BASE}/search/ca/agentactkey/`,
      body: buildSearchRequest(criteria, limitResults),
    });
    // One odd key never breaks a search: it is left out, loudly (parse-service-response.ts `parseKeys`). A read
    // of it then falls back to get, which fails with QUALYS_UNREADABLE_KEY: never a silent drop.
    for (const odd of res.unreadableKeys) {
      deps.logger?.warn(
        redactText(
          `Qualys search skipped ${nameOf(odd)}: ${odd.reason}. Reading, adopting or refreshing this key fails ` +
            `with QUALYS_UNREADABLE_KEY until the value is corrected in Qualys.`,
          deps.secrets,
        ),
      );
    }
    const page: SearchPage = { keys: res.keys, count: res.count ?? res.keys.length, hasMoreRecords: res.hasMoreRecords ?? false };
    if (res.lastId !== undefined) page.lastId = res.lastId;
    return page;
  };

  return {
    async create(key: AgentActKeyWrite): Promise<AgentActKey> {
      // Not idempotent: after an ambiguous failure the key may exist (the scheduler searches, never re-POSTs).
      const res = await runQpsCall(deps, {
        operation: "create",
        idempotent: false,
        method: "POST",
        path: `${BASE}/create/ca/agentactkey/`,
        body: buildKeyWriteRequest(key),
        title: key.title,
      });
      const created = res.keys[0];
      const odd = res.unreadableKeys[0];
      if (!created && odd) {
        throw unreadable(
          "create",
          odd,
          `The key exists in Qualys: correct the value there (or delete the key), then run again with adopt: true to take it over.`,
          deps.secrets,
        );
      }
      if (!created) {
        throw new QualysHttpError(
          `Qualys create of key "${key.title}" answered SUCCESS without the new key; search for the title before retrying.`,
          { operation: "create", title: key.title },
        );
      }
      return created;
    },

    async get(id: number): Promise<AgentActKey> {
      const res = await runQpsCall(deps, {
        operation: "get",
        idempotent: true,
        method: "GET",
        path: `${BASE}/get/ca/agentactkey/${id}`,
        keyId: id,
      });
      // Only a definite "not found" answer (classify-response.ts) may make a refresh drop a key from
      // state; an answer that holds no key, another key, or an unreadable one fails the read instead.
      const key = res.keys.find((k) => k.id === id);
      if (key) return key;
      const odd = res.unreadableKeys.find((k) => k.id === id || k.id === undefined);
      if (odd) throw unreadable("get", { ...odd, id: odd.id ?? id }, "Correct the value in Qualys (Cloud Agent UI), then run again.", deps.secrets);
      const others = [...res.keys, ...res.unreadableKeys].map((k) => k.id);
      const what = others.length > 0 ? `key ${others.join(", ")} instead` : "no key at all";
      throw new QualysHttpError(
        `Qualys get key ${id} answered SUCCESS with ${what}: not a "not found", so the key is kept as it was. ` +
          `Run the command again; if it persists, a proxy may be answering for Qualys (check qualys:apiUrl), or report it to Qualys Support.`,
        { operation: "get", keyId: id },
      );
    },

    async update(id: number, key: AgentActKeyWrite): Promise<AgentActKey> {
      // The id goes in the path (reference page) and the body (the Cloud Agent API guide's sample);
      // the response may omit fields such as modules, so callers read the key back with get.
      const res = await runQpsCall(deps, {
        operation: "update",
        idempotent: true,
        method: "POST",
        path: `${BASE}/update/ca/agentactkey/${id}`,
        body: buildKeyWriteRequest(key, id),
        keyId: id,
        title: key.title,
      });
      return res.keys[0] ?? { id };
    },

    async delete(id: number): Promise<void> {
      await runQpsCall(deps, {
        operation: "delete",
        idempotent: true,
        method: "POST",
        path: `${BASE}/delete/ca/agentactkey/${id}`,
        body: EMPTY_SERVICE_REQUEST,
        keyId: id,
      });
    },

    searchPage,

    searchAll: (criteria?: SearchCriteria[], options?: SearchAllOptions) => searchAllPages(searchPage, criteria, options),

    async changeActivationKey(move: AgentMove): Promise<void> {
      if (move.filters.length === 0) {
        // Qualys refuses it too; refusing here keeps a caller's bug from costing a call.
        throw new QualysError("QUALYS_INVALID_INPUT", "Change Activation Key needs at least one filter (id, tagName or activationKey) to select the agents to move.", {
          operation: "changeactkey",
          keyId: move.fromKeyId,
        });
      }
      // Idempotent: agents already on the new key stay there, so a retry after an ambiguous
      // failure moves nothing twice (retries-and-waiters.md). Both activation keys are secrets.
      const values = [move.newActivationKey, ...move.filters.filter((filter) => filter.field === "activationKey").map((filter) => filter.value)];
      await runQpsCall(deps, {
        operation: "changeactkey",
        idempotent: true,
        method: "POST",
        path: `${BASE}/cak/ca/changeactkey/`,
        body: buildChangeKeyRequest(move.newActivationKey, move.filters),
        keyId: move.fromKeyId,
        secrets: values,
      });
    },
  };
}

function nameOf(key: UnreadableKey): string {
  const title = key.title === undefined ? "" : ` ("${key.title}")`;
  return key.id === undefined ? `a key without a readable id${title}` : `key ${key.id}${title}`;
}

/** The key's title and reason are server text, as received: the error's constructor redacts them. */
function unreadable(operation: QualysOperation, key: UnreadableKey, fix: string, secrets: readonly string[]): QualysUnreadableKeyError {
  return new QualysUnreadableKeyError(
    `Qualys ${operation} answered ${nameOf(key)} with a value this provider cannot represent exactly: ${key.reason}. ${fix}`,
    { operation, keyId: key.id, title: key.title, secrets },
  );
}
