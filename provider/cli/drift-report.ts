/**
 * The drift report of a scheduled drift check: for every ActivationKey of a stack, each field
 * whose live value in Qualys differs from the declared one, with both values. Markdown for a PR
 * comment or job summary, JSON for machines.
 *
 * It compares with the same `changedFields` that `diff` uses, so the report and `pulumi up`
 * always agree on what drifted, and reads through the search-backed reader (a few calls for the
 * whole stack).
 */
import { TYPE_TOKENS } from "../activation-key/properties";
import { changedFields } from "../activation-key/diff";
import { formatDriftValue, type FieldDrift } from "../activation-key/drift";
import { parseKeyId } from "../activation-key/key-id";
import { keyToOutputs } from "../activation-key/normalize";
import type { SearchBackedKeyReader } from "../qualys/api/search-backed-key-reader";

/** One ActivationKey of a `pulumi stack export`. */
interface StackKey {
  urn: string;
  id: string;
  inputs: Record<string, unknown>;
}

export interface KeyDrift {
  urn: string;
  name: string;
  id: string;
  /** `deleted`: the key no longer exists in Qualys (or is outside the user's scope). */
  status: "in-sync" | "drifted" | "deleted";
  fields: FieldDrift[];
}

/** The ActivationKeys of a `pulumi stack export` document. */
export function keysOfStackExport(document: unknown): StackKey[] {
  const resources = (document as { deployment?: { resources?: unknown[] } }).deployment?.resources ?? [];
  return resources
    .map((r) => r as { urn?: string; type?: string; id?: string; inputs?: Record<string, unknown>; delete?: boolean })
    .filter((r) => isActivationKeyType(r.type) && r.urn && r.id && !r.delete)
    .map((r) => ({ urn: r.urn!, id: r.id!, inputs: r.inputs ?? {} }));
}

/** Keys of either front door: the dynamic resource and the plugin resource. */
function isActivationKeyType(type: string | undefined): boolean {
  return type === TYPE_TOKENS.dynamic || type === TYPE_TOKENS.plugin;
}

export async function driftReport(keys: readonly StackKey[], reader: SearchBackedKeyReader): Promise<KeyDrift[]> {
  return Promise.all(
    keys.map(async (key): Promise<KeyDrift> => {
      const name = key.urn.slice(key.urn.lastIndexOf("::") + 2);
      const live = await reader.read(parseKeyId(key.id, "get"));
      if (!live) return { urn: key.urn, name, id: key.id, status: "deleted", fields: [] };
      const actual = keyToOutputs(live, { applyOnAgents: false, adopt: false }) as unknown as Record<string, unknown>;
      const fields = changedFields(key.inputs, actual).map((field) => ({ field, declared: key.inputs[field], actual: actual[field] }));
      return { urn: key.urn, name, id: key.id, status: fields.length > 0 ? "drifted" : "in-sync", fields };
    }),
  );
}

export function hasDrift(report: readonly KeyDrift[]): boolean {
  return report.some((k) => k.status !== "in-sync");
}

export function renderMarkdown(report: readonly KeyDrift[]): string {
  const drifted = report.filter((k) => k.status !== "in-sync");
  const lines = [`## Qualys activation keys: ${drifted.length === 0 ? "no drift" : `drift in ${drifted.length} of ${report.length} keys`}`, ""];
  if (drifted.length === 0) {
    lines.push(`All ${report.length} keys match their declaration.`);
    return lines.join("\n") + "\n";
  }
  lines.push("| key | Qualys id | field | declared | actual in Qualys |", "|---|---|---|---|---|");
  for (const key of drifted) {
    if (key.status === "deleted") lines.push(`| ${key.name} | ${key.id} | *(key)* | exists | **deleted** |`);
    for (const f of key.fields) lines.push(`| ${key.name} | ${key.id} | ${f.field} | ${cell(f.declared)} | ${cell(f.actual)} |`);
  }
  lines.push("", "Run `pulumi up` to restore the declared state, or change the program to accept the new values.");
  return lines.join("\n") + "\n";
}

function cell(value: unknown): string {
  return value === undefined ? "*(unset)*" : `\`${formatDriftValue(value).replace(/\|/g, "\\|")}\``;
}
