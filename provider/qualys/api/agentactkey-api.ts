/**
 * The agentactkey endpoints of QPS REST 1.0 (shared/docs/qualys-agentactkey-api.md, "Endpoints"),
 * each one `runQpsCall` with its path, body and idempotency.
 */
import { QualysError, QualysHttpError, QualysNotFoundError } from "../errors";
import { runQpsCall, type QpsCallDeps } from "./qps-call";
import { searchAllPages } from "./search-all-pages";
import type { AgentActKey, AgentActKeyApi, AgentActKeyWrite, SearchAllOptions, SearchCriteria, SearchPage } from "../types";
import { buildKeyWriteRequest, buildSearchRequest, EMPTY_SERVICE_REQUEST, MAX_SEARCH_PAGE } from "../wire/xml-codec";

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
      const key = res.keys[0];
      if (!key) {
        throw new QualysNotFoundError({
          responseCode: res.responseCode,
          errorMessage: "the response holds no key",
          operation: "get",
          keyId: id,
        });
      }
      return key;
    },

    async update(id: number, key: AgentActKeyWrite): Promise<AgentActKey> {
      // The id goes in the path (reference page) and the body (seed sample); the response may omit
      // fields such as modules, so callers read the key back with get.
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
  };
}
