/**
 * Follows QPS search paging: each next page asks for `id GREATER lastId` (docs/qualys-api.md,
 * "Search and paging"). A server that claims more records but sends an empty page, or a lastId that
 * does not advance, would make a naive loop spin forever: stop with a clear error instead. One that
 * keeps claiming more with a rising lastId was followed for 117,780 requests in 120 s (issue 11):
 * every search stops at `MAX_SEARCH_PAGES` with QUALYS_ANSWER_TOO_LARGE.
 */
import { QualysAnswerTooLargeError, QualysHttpError } from "../errors";
import type { AgentActKey, SearchAllOptions, SearchCriteria, SearchPage } from "../types";
import { MAX_SEARCH_PAGE } from "../wire/xml-requests";

type SearchPageFn = (criteria: SearchCriteria[], limitResults: number) => Promise<SearchPage>;

/**
 * Pages one search may take: 100,000 keys at 1000 a page. A subscription's keys are counted in
 * tens or hundreds, and 100 pages already spend a third of a typical 300-calls-an-hour budget, so
 * a search past it is a server (or proxy) that does not stop, not a real subscription.
 */
export const MAX_SEARCH_PAGES = 100;

/**
 * Every key matching `criteria` (combined with the paging criterion), in server order, or the keys
 * of the first `maxPages` pages when the caller caps the cost (see SearchAllOptions).
 */
export async function searchAllPages(
  searchPage: SearchPageFn,
  criteria: readonly SearchCriteria[] = [],
  options: SearchAllOptions = {},
): Promise<AgentActKey[]> {
  const keys: AgentActKey[] = [];
  let lastId: number | undefined;
  for (let pages = 1; ; pages++) {
    const paging: SearchCriteria[] = lastId === undefined ? [] : [{ field: "id", operator: "GREATER", value: String(lastId) }];
    const page = await searchPage([...criteria, ...paging], MAX_SEARCH_PAGE);
    keys.push(...page.keys);
    if (!page.hasMoreRecords || pages === options.maxPages) return keys;
    if (pages >= MAX_SEARCH_PAGES) throw pageCapError(criteria);
    if (page.keys.length === 0) {
      throw pagingError(`an empty page that claims more records (hasMoreRecords=true) after id ${lastId ?? "(start)"}`);
    }
    const next = page.lastId ?? Math.max(...page.keys.map((k) => k.id));
    if (lastId !== undefined && next <= lastId) {
      throw pagingError(`lastId ${next} that does not advance past ${lastId}`);
    }
    lastId = next;
  }
}

function pagingError(what: string): QualysHttpError {
  return new QualysHttpError(
    `Qualys search returned ${what}; stopped paging instead of looping forever. ` +
      `Run the command again; if it persists, report it to Qualys Support with this message.`,
    { operation: "search" },
  );
}

function pageCapError(criteria: readonly SearchCriteria[]): QualysAnswerTooLargeError {
  const filter = criteria.length === 0 ? "every key" : criteria.map((c) => `${c.field} ${c.operator} "${c.value}"`).join(" and ");
  return new QualysAnswerTooLargeError(
    `Qualys search for ${filter} still claimed more records (hasMoreRecords=true) after ${MAX_SEARCH_PAGES} pages ` +
      `(${MAX_SEARCH_PAGES * MAX_SEARCH_PAGE} keys); stopped instead of paging without end. Check that qualys:apiUrl / ` +
      `qualys:platform reaches Qualys itself, not a proxy; if it does, report it to Qualys Support with this message.`,
    { operation: "search", limit: MAX_SEARCH_PAGES, unit: "pages" },
  );
}
