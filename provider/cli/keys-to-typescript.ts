/**
 * Turns the keys of a subscription into ready-to-paste Pulumi TypeScript, so a team can bring keys
 * that already exist under management. `pulumi import` does not work for dynamic resources
 * (pulumi/pulumi#16175), so every generated resource carries `adopt: true`: the first `pulumi up`
 * takes the existing key over by its title instead of failing on the duplicate title.
 */
import type { AgentActKey } from "../qualys/types";

/**
 * A Pulumi resource name from a key title: lower-case, `-` separated, unique within `taken`;
 * `fallback` when the title has no ASCII letter or digit (e.g. it is all Japanese).
 */
function resourceNameFor(title: string, taken: Set<string>, fallback = "key"): string {
  const base = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || fallback;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

/** TypeScript source declaring one `qualys.ActivationKey` per key, in id order. */
export function keysToTypeScript(keys: readonly AgentActKey[]): string {
  const taken = new Set<string>();
  const identifiers = new Set<string>();
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
    const name = resourceNameFor(key.title, taken, `key-${key.id}`);
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
    lines.push(``, `export const ${identifierFor(name, identifiers)} = new qualys.ActivationKey(${literal(name)}, {`);
    for (const [field, value] of args) {
      if (value !== undefined) lines.push(`  ${field}: ${literal(value)},`);
    }
    lines.push(`}); // Qualys key id ${key.id}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Names an `export const` may not take: the reserved words of module code (always strict, so
 * `let`, `static`, `await`, … too), `arguments` and `eval` (not bindable in strict code), the
 * `qualys` namespace the file imports, and the globals a declaration would shadow for the rest of
 * the user's program.
 */
const UNUSABLE_IDENTIFIERS = new Set([
  "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
  "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in", "instanceof", "interface",
  "let", "new", "null", "package", "private", "protected", "public", "return", "static", "super", "switch", "this", "throw",
  "true", "try", "typeof", "var", "void", "while", "with", "yield",
  "arguments", "eval",
  "qualys",
  "exports", "globalThis", "module", "require", "undefined",
]);

/**
 * A unique identifier for the `export const` of a resource name (`[a-z0-9-]+`): camelCase, `key`
 * before a leading digit, `Key` after a word it may not use, `_2`, `_3`, … when two names meet
 * (`key-2` and `key2` both make `key2`).
 */
function identifierFor(name: string, taken: Set<string>): string {
  const words = name.split("-");
  let base = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  if (/^[0-9]/.test(base)) base = `key${base}`;
  if (UNUSABLE_IDENTIFIERS.has(base)) base = `${base}Key`;
  let identifier = base;
  for (let n = 2; taken.has(identifier); n++) identifier = `${base}_${n}`;
  taken.add(identifier);
  return identifier;
}

/**
 * A TypeScript literal for a JSON value: JSON text is a valid literal, with U+2028 and U+2029
 * escaped as well (older parsers and many editors take them for line ends inside a string).
 */
function literal(value: unknown): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
