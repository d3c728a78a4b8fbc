/**
 * Turns the keys of a subscription into ready-to-paste Pulumi TypeScript, so a team can bring keys
 * that already exist under management. `pulumi import` does not work for dynamic resources
 * (pulumi/pulumi#16175), so every generated resource carries `adopt: true`: the first `pulumi up`
 * takes the existing key over by its title instead of failing on the duplicate title.
 */
import type { AgentActKey } from "../qualys/types";

/** A Pulumi resource name from a key title: lower-case, `-` separated, unique within `taken`. */
export function resourceNameFor(title: string, taken: Set<string>): string {
  const base = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "key";
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

/** TypeScript source declaring one `qualys.ActivationKey` per key, in id order. */
export function keysToTypeScript(keys: readonly AgentActKey[]): string {
  const taken = new Set<string>();
  const lines = [
    `import * as qualys from "pulumi-qualys";`,
    ``,
    `// Generated from the subscription's activation keys. adopt: true takes each existing key over`,
    `// by title on the first \`pulumi up\` instead of creating a duplicate.`,
  ];
  for (const key of [...keys].sort((a, b) => a.id - b.id)) {
    if (!key.title) {
      lines.push(``, `// Key ${key.id} has no title: give it one in Qualys before managing it (titles identify keys).`);
      continue;
    }
    const name = resourceNameFor(key.title, taken);
    const args: [string, unknown][] = [
      ["title", key.title],
      ["type", key.type ?? "UNLIMITED"],
      ["countPurchased", key.type === "COUNT_LIMITED" || key.type === "COUNT_TIME_LIMITED" ? key.countPurchased : undefined],
      ["expireDate", key.type === "TIME_LIMITED" || key.type === "COUNT_TIME_LIMITED" ? key.expireDate : undefined],
      ["ownerId", key.ownerId],
      ["modules", key.modules && key.modules.length > 0 ? [...key.modules].sort() : undefined],
      ["tagIds", key.tags && key.tags.length > 0 ? key.tags.map((t) => t.id).sort((a, b) => a - b) : undefined],
      ["networkId", key.networkId ? key.networkId : undefined],
      ["isDisabled", key.isDisabled ? true : undefined],
      ["suspendSelfPatch", key.suspendSelfPatch ? true : undefined],
      ["adopt", true],
    ];
    lines.push(``, `export const ${camelCase(name)} = new qualys.ActivationKey(${JSON.stringify(name)}, {`);
    for (const [field, value] of args) {
      if (value !== undefined) lines.push(`  ${field}: ${JSON.stringify(value)},`);
    }
    lines.push(`}); // Qualys key id ${key.id}`);
  }
  return lines.join("\n") + "\n";
}

function camelCase(name: string): string {
  const words = name.split("-");
  const ident = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  return /^[0-9]/.test(ident) ? `key${ident}` : ident;
}
