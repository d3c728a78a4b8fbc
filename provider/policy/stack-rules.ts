/**
 * The rules over all the activation keys of a stack, run by AnalyzeStack after `pulumi up` and by
 * `pulumi policy analyze` against a stack's state.
 */
import { normaliseTitle } from "../activation-key/normalize";
import { PROPERTY } from "./key-view";
import { agentCountSetting } from "./settings";
import type { KeyView, StackFinding, StackRule } from "./types";

/** A title as Qualys compares titles for uniqueness: trimmed, without regard to case. */
function titleIdentity(title: string): string {
  return normaliseTitle(title).toLowerCase();
}

export const uniqueTitles: StackRule<Record<string, never>> = {
  name: "qualys-keys-unique-titles",
  description: "No two keys of a stack share a title (trimmed, without regard to case, as Qualys compares them): Qualys refuses the second.",
  enforcementLevel: "mandatory",
  config: {},
  check(keys) {
    const byTitle = new Map<string, KeyView[]>();
    for (const key of keys) {
      const title = key.get(PROPERTY.title);
      if (title === undefined) continue;
      byTitle.set(titleIdentity(title), [...(byTitle.get(titleIdentity(title)) ?? []), key]);
    }
    const findings: StackFinding[] = [];
    for (const sharing of byTitle.values()) {
      if (sharing.length < 2) continue;
      for (const key of sharing) {
        const others = sharing.filter((other) => other !== key).map((other) => other.name);
        findings.push({ urn: key.urn, message: `${PROPERTY.title} is the same as the title of ${others.join(", ")} (compared trimmed and without regard to case, as Qualys does).` });
      }
    }
    return findings;
  },
};

export const countBudget: StackRule<{ maxTotalCountPurchased: number }> = {
  name: "qualys-keys-count-budget",
  description: "The countPurchased of all the keys of a stack adds up to at most maxTotalCountPurchased agents.",
  enforcementLevel: "advisory",
  config: {
    maxTotalCountPurchased: agentCountSetting("The most agents the keys of one stack may activate together.", 100000),
  },
  check(keys, { config }) {
    const counted = keys.map((key) => key.get(PROPERTY.countPurchased)).filter((count): count is number => count !== undefined);
    const total = counted.reduce((sum, count) => sum + count, 0);
    if (total <= config.maxTotalCountPurchased) return [];
    return [{ message: `${PROPERTY.countPurchased} of the stack's ${counted.length} count-limited keys adds up to more than ${config.maxTotalCountPurchased} agents (maxTotalCountPurchased).` }];
  },
};

/** Every rule over a stack's keys. */
export const STACK_RULES: readonly StackRule[] = [uniqueTitles, countBudget];
