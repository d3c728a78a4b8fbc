/**
 * `qualys-keys sweep`: removes what an interrupted run left behind — the keys whose title starts
 * with a prefix (the acceptance suite's `pulumi-qualys-acc-`, `qualys-keys doctor --write-check`'s
 * key), as terraform-provider-aws's sweepers do for its acceptance tests. A dry run unless told
 * `--yes`; a key with registered agents is never touched (Qualys refuses to delete it, and those
 * agents would need a new key: docs/qualys-api.md, "Change activation key"). Deletes go one after
 * the other through the subscription's scheduler, within its limits.
 */
import { searchIncludingDisabled } from "../qualys/api/search-including-disabled";
import { QualysNotFoundError } from "../qualys/errors";
import type { AgentActKey, AgentActKeyApi } from "../qualys/types";

export interface SweepOptions {
  /** Title prefix of the keys to remove; never empty. */
  prefix: string;
  /** Only keys created (`datePurchased`) longer ago than this, ms. */
  olderThanMs?: number;
  /** Delete; without it, only list what would be deleted. */
  yes: boolean;
  /** Now, ms since the epoch. */
  now: number;
}

/** Title prefix of the keys checks and tests create: the acceptance suite's QUALYS_ACC_PREFIX default, doctor's --prefix default. */
export const DEFAULT_TEST_PREFIX = "pulumi-qualys-acc-";

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `2h`, `7d` in ms; throws naming the flag otherwise. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) throw new Error(`${flag} must look like 90s, 30m, 2h or 7d, got "${text}".`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** The prefixed keys of the subscription (disabled ones too), each once, in id order. */
export async function keysWithPrefix(api: AgentActKeyApi, prefix: string): Promise<AgentActKey[]> {
  const byId = new Map((await searchIncludingDisabled(api)).map((key) => [key.id, key]));
  return [...byId.values()].filter((key) => key.title?.startsWith(prefix)).sort((a, b) => a.id - b.id);
}

/** Whether agents are registered with `key` (it cannot be deleted then). */
export function hasAgents(key: AgentActKey): boolean {
  return (key.countUsed ?? 0) > 0 || (key.agents?.length ?? 0) > 0;
}

/** Lists, and with `yes` deletes, the prefixed keys; returns how many were (or would be) deleted. */
export async function sweep(api: AgentActKeyApi, options: SweepOptions, out: (text: string) => void): Promise<number> {
  if (!options.prefix.trim()) throw new Error("sweep needs a non-empty --prefix: it never deletes every key.");
  const keys = await keysWithPrefix(api, options.prefix);
  let swept = 0;
  for (const key of keys) {
    const created = key.datePurchased ? Date.parse(key.datePurchased) : Number.NaN;
    const label = `${key.id}\t${key.title}`;
    if (options.olderThanMs !== undefined && !(options.now - created > options.olderThanMs)) {
      out(`kept     ${label}\t(${Number.isNaN(created) ? "creation date unknown" : `created ${key.datePurchased}`}, not older than --older-than)\n`);
    } else if (hasAgents(key)) {
      out(`kept     ${label}\t(${key.countUsed ?? key.agents?.length} agent(s) registered: move them to another key first; sweep never touches such a key)\n`);
    } else if (!options.yes) {
      out(`would delete ${label}\n`);
      swept++;
    } else {
      try {
        await api.delete(key.id);
      } catch (error) {
        if (!(error instanceof QualysNotFoundError)) throw error;
      }
      out(`deleted  ${label}\n`);
      swept++;
    }
  }
  if (keys.length === 0) out(`no key's title starts with "${options.prefix}"\n`);
  else if (!options.yes && swept > 0) out(`dry run: ${swept} key(s) would be deleted; run again with --yes to delete them\n`);
  return swept;
}
