/**
 * The only safe way to create a key. A create that fails without a clear answer (reset, timeout,
 * 5xx, a cut body) is ambiguous: Qualys may have committed the key
 * (docs/qualys-api.md, "Rate and concurrency limits"). Re-POSTing blindly would
 * then fail on the unique title — or, worse, leave a key nobody manages. So after an ambiguous
 * failure we look for the title first and adopt the key if it is there; only if it is not do we
 * create again. A duplicate-title answer that follows an ambiguous attempt is resolved the same
 * way (our first attempt did land). With `adopt: true` a duplicate title on the very first attempt
 * also adopts: the user asked to take existing keys over.
 */
import { mayHaveBeenProcessed } from "../scheduling/is-retryable";
import { QualysApiError, QualysDuplicateTitleError, QualysError } from "../qualys/errors";
import { searchIncludingDisabled } from "../qualys/api/search-including-disabled";
import type { AgentActKey, AgentActKeyApi, AgentActKeyWrite } from "../qualys/types";

interface CreateOrAdoptOptions {
  /** Take over an existing key with the same title instead of failing. */
  adopt?: boolean;
  /** Create attempts after ambiguous failures, first included. Default 3. */
  maxAttempts?: number;
}

interface CreateOrAdoptResult {
  key: AgentActKey;
  /** True when the key already existed (adopted, or committed by an attempt whose answer was lost). */
  adopted: boolean;
}

export async function createOrAdopt(api: AgentActKeyApi, desired: AgentActKeyWrite, options: CreateOrAdoptOptions = {}): Promise<CreateOrAdoptResult> {
  const maxAttempts = options.maxAttempts ?? 3;
  let ambiguous = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return { key: await api.create(desired), adopted: false };
    } catch (error) {
      const duplicate = error instanceof QualysDuplicateTitleError;
      if (!(duplicate && (ambiguous || options.adopt)) && !mayHaveBeenProcessed(error)) throw error;
      const existing = await searchKeyByTitle(api, desired.title).catch((lookupError: unknown) => {
        throw lookupFailed(desired.title, error, lookupError);
      });
      if (existing) return { key: existing, adopted: true };
      // A duplicate answer for a title no search finds (e.g. outside the user's scope): say so.
      if (duplicate || attempt >= maxAttempts) throw error;
      ambiguous = true;
    }
  }
}

/**
 * The title lookup after a failed create failed too. The user ran a create, so the error names the
 * create and its title, not the search it sent (issue 10: a wrong API URL read as a failed
 * "search"); it keeps the lookup's code (the failure to fix) and the lookup error as its cause.
 * Anything that is not a QualysError (a bug) goes out unchanged.
 */
function lookupFailed(title: string, createError: unknown, lookupError: unknown): unknown {
  if (!(lookupError instanceof QualysError)) return lookupError;
  return new QualysError(
    lookupError.code,
    `Qualys create key ${JSON.stringify(title)} failed, and looking for the title afterwards (to find a key the create ` +
      `may have made) failed too.\n  create: ${(createError as Error).message}\n  lookup: ${lookupError.message}`,
    { operation: "create", title, statusCode: lookupError.statusCode, cause: lookupError },
  );
}

/**
 * The key with exactly this title as Qualys holds it now: a search call (unlike the reader's
 * `findByTitle`, which answers from the process's snapshot), disabled keys included (search hides
 * them by default). Title is not documented as searchable: if the server refuses the filter, list
 * everything and filter here.
 */
export async function searchKeyByTitle(api: AgentActKeyApi, title: string): Promise<AgentActKey | undefined> {
  let candidates: AgentActKey[];
  try {
    candidates = await searchIncludingDisabled(api, [{ field: "title", operator: "EQUALS", value: title }]);
  } catch (error) {
    if (!(error instanceof QualysApiError) || error.responseCode !== "INVALID_REQUEST") throw error;
    candidates = await searchIncludingDisabled(api);
  }
  return candidates.find((key) => key.title === title);
}
