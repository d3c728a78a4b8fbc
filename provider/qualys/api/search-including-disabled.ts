/**
 * Every key matching `criteria`, disabled keys included. QPS search hides disabled keys unless a
 * criterion on `isDisabled` is given (shared/docs/qualys-agentactkey-api.md, "Search and paging"),
 * so "all keys" takes two paged searches: the default one and the disabled ones.
 */
import type { AgentActKey, AgentActKeyApi, SearchAllOptions, SearchCriteria } from "../types";

const DISABLED: SearchCriteria = { field: "isDisabled", operator: "EQUALS", value: "true" };

/** Enabled keys first, then disabled ones, each in server order. */
export async function searchIncludingDisabled(api: AgentActKeyApi, criteria: SearchCriteria[] = [], options?: SearchAllOptions): Promise<AgentActKey[]> {
  const [enabled, disabled] = await Promise.all([api.searchAll(criteria, options), api.searchAll([...criteria, DISABLED], options)]);
  return [...enabled, ...disabled];
}
