/**
 * The kinds of setting the policies take, each with its JSON Schema in one place: lists of Qualys
 * ids, numbers of agents, and regular expressions.
 */
import { MAX_EXACT_INTEGER } from "../activation-key/properties";
import type { ConfigSetting } from "./types";

/** A list of Qualys ids (users, tags); empty by default. */
export function idListSetting(description: string): ConfigSetting<readonly number[]> {
  return { schema: { type: "array", items: { type: "integer", minimum: 1, maximum: MAX_EXACT_INTEGER }, uniqueItems: true, description, default: [] } };
}

/** A number of agents, as countPurchased counts them. */
export function agentCountSetting(description: string, defaultCount: number): ConfigSetting<number> {
  return { schema: { type: "integer", minimum: 1, maximum: MAX_EXACT_INTEGER, description, default: defaultCount } };
}

/** A JavaScript regular expression (the pack refuses one that does not compile). */
export function regexSetting(description: string, defaultPattern: string): ConfigSetting<string> {
  return { schema: { type: "string", description, default: defaultPattern }, regex: true };
}
