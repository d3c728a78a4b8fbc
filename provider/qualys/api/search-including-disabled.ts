/**
 * Every key matching `criteria`, disabled keys included. QPS search hides disabled keys unless a
 * criterion on `isDisabled` is given (docs/qualys-api.md, "Search and paging"),
 * so "all keys" takes two paged searches: the default one and the disabled ones.
 */
import type { AgentActKey, AgentActKeyApi, SearchAllOptions, SearchCriteria } from "../types";

/** The criterion that finds disabled keys, which a search without one may hide. */
export const DISABLED: SearchCriteria = { field: "isDisabled", operator: "EQUALS", value: "true" };

/**
 * Enabled keys first, then disabled ones, each in server order. One after the other, not at once:
 * when the first fails, the second must not go on retrying and logging retry warnings after the
 * operation's error was already reported (issue 11). It costs one round trip at most, and nothing
 * on a fresh process, whose scheduler lets one call out until an answer announces the limit.
 */
export async function searchIncludingDisabled(api: AgentActKeyApi, criteria: SearchCriteria[] = [], options?: SearchAllOptions): Promise<AgentActKey[]> {
  const enabled = await api.searchAll(criteria, options);
  const disabled = await api.searchAll([...criteria, DISABLED], options);
  return [...enabled, ...disabled];
}
