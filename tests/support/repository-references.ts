/**
 * Finds the file paths a repository's comments and documents name, so a test can check that each
 * one exists in the repository (issue 16: the repository stands alone).
 *
 * What is read: every Markdown file whole, and the comments of source files (`//` and `/* *\/` in
 * TypeScript and JavaScript, `#` in Python, YAML and shell). Strings and code are not read: a path
 * in code is checked by the code that uses it.
 *
 * What counts as a repository path: a token whose first segment is a top-level directory of the
 * repository (`provider/…`, `docs/….md`, `tests/…`), a token that starts with `../` (resolved from
 * the naming file's folder; not inside a Markdown code block, where it is the user's own path), and
 * the target of a Markdown link. `./x` is left alone: comments use it for package `exports` keys. URLs, npm module
 * paths (`@pulumi/pulumi/proto/…`), `node_modules/…` and build outputs such as `dist/…` have a first
 * segment that is no tracked top-level directory, so they are not repository paths. Globs
 * (`*`, `{a,b}`) and placeholders (`<file>`, `…`) are patterns, not paths, and are skipped.
 */
import { posix } from "node:path";

/** One path named by a file, where it is named, and what is wrong with it (if anything). */
export interface NamedPath {
  /** The naming file, repository-relative. */
  file: string;
  line: number;
  /** The path as written. */
  written: string;
  /** Repository-relative, normalised; undefined when it leaves the repository. */
  resolved: string | undefined;
}

/** A stretch of comment text and the offset in its file where it starts. */
interface CommentText {
  offset: number;
  text: string;
}

const SCRIPT_EXTENSIONS = [".ts", ".js", ".mjs", ".cjs"];
const HASH_COMMENT_EXTENSIONS = [".py", ".yml", ".yaml", ".sh"];

/** The text of `file` this check reads: all of a Markdown file, the comments of a source file. */
export function readableText(file: string, content: string): CommentText[] {
  if (file.endsWith(".md")) return [{ offset: 0, text: content }];
  if (SCRIPT_EXTENSIONS.some((ext) => file.endsWith(ext))) return scriptComments(content);
  if (HASH_COMMENT_EXTENSIONS.some((ext) => file.endsWith(ext)) || /^#!.*\b(ba)?sh\b/.test(content)) return hashComments(content);
  return [];
}

/**
 * The comments of a TypeScript or JavaScript file. Skips string, template and regular-expression
 * literals so that `"dist/**\/*.js"` or `/\/\//` never open a comment.
 */
export function scriptComments(source: string): CommentText[] {
  const comments: CommentText[] = [];
  let i = 0;
  let lastSignificant = "";
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      comments.push({ offset: i + 2, text: source.slice(i + 2, stop) });
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end;
      comments.push({ offset: i + 2, text: source.slice(i + 2, stop) });
      i = stop + 2;
    } else if (c === '"' || c === "'" || c === "`") {
      i = skipQuoted(source, i, c);
      lastSignificant = c;
    } else if (c === "/" && regexMayStartAfter(lastSignificant)) {
      i = skipRegex(source, i);
      lastSignificant = "/";
    } else {
      if (!/\s/.test(c)) lastSignificant = /[\w$]/.test(c) ? wordEndingAt(source, i) : c;
      i++;
    }
  }
  return comments;
}

function wordEndingAt(source: string, i: number): string {
  let start = i;
  while (start > 0 && /[\w$]/.test(source[start - 1]!)) start--;
  return source.slice(start, i + 1);
}

/** After these a `/` starts a regular expression, not a division. */
function regexMayStartAfter(previous: string): boolean {
  return previous === "" || /^[(,=:[!&|?{};+\-*%<>~^]$/.test(previous) || ["return", "typeof", "case", "in", "of"].includes(previous);
}

/** The index just past a quoted literal opened at `start`; template `${…}` parts are skipped whole. */
function skipQuoted(source: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") i += 2;
    else if (c === quote) return i + 1;
    else if (quote !== "`" && c === "\n") return i;
    else if (quote === "`" && c === "$" && source[i + 1] === "{") i = skipBraces(source, i + 1);
    else i++;
  }
  return i;
}

function skipBraces(source: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
    else if (c === '"' || c === "'" || c === "`") {
      i = skipQuoted(source, i, c);
      continue;
    }
    i++;
  }
  return i;
}

function skipRegex(source: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") i++;
    else if (c === "\n") return i;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) return i + 1;
    i++;
  }
  return i;
}

/** `#` comments: a `#` at the start of a line or after a blank, outside quotes. */
export function hashComments(source: string): CommentText[] {
  const comments: CommentText[] = [];
  let offset = 0;
  for (const line of source.split("\n")) {
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === "\\") i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) {
        comments.push({ offset: offset + i + 1, text: line.slice(i + 1) });
        break;
      }
    }
    offset += line.length + 1;
  }
  return comments;
}

/** A path-like token: segments of file-name characters joined by `/`. */
const PATH_TOKEN = /(?<![\w@$%&+=~\-./:\\])(?:\.\.\/)*[\w@.{}*<>-]+(?:\/[\w@.{}*<>,-]*)+(?![\w@.{}*<>,\-/…])/g;
const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]"'`]*/gi;
const MARKDOWN_LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/**
 * Every path `file` names in `text` (the readable text found at `offset`) that is meant to be in
 * the repository: see the file comment for what counts. `topLevel` holds the repository's tracked
 * top-level directories.
 */
export function namedPaths(file: string, content: string, topLevel: ReadonlySet<string>): NamedPath[] {
  const found: NamedPath[] = [];
  const lineAt = lineIndex(content);
  const dir = posix.dirname(file);
  for (const { offset, text } of readableText(file, content)) {
    const withoutUrls = text.replace(URL, (url) => " ".repeat(url.length));
    if (file.endsWith(".md")) {
      for (const match of withoutUrls.matchAll(MARKDOWN_LINK)) {
        const target = match[1]!.replace(/[#?].*$/, "");
        if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const resolved = target.startsWith("/") ? posix.normalize(target.slice(1)) : posix.join(dir, target);
        found.push(named(file, lineAt(offset + match.index), match[1]!, resolved));
      }
    }
    const fences = file.endsWith(".md") ? fencedRanges(withoutUrls) : [];
    for (const match of withoutUrls.matchAll(PATH_TOKEN)) {
      const written = match[0].replace(/[.,:;]+$/, "");
      if (isPattern(written)) continue;
      const relative = written.startsWith("../");
      if (relative && fences.some(([start, end]) => match.index >= start && match.index < end)) continue;
      const first = written.split("/")[0]!;
      if (!relative && !topLevel.has(first)) continue;
      const resolved = relative ? posix.join(dir, written) : posix.normalize(written);
      found.push(named(file, lineAt(offset + match.index), written, resolved));
    }
  }
  const seen = new Set<string>();
  return found.filter((path) => {
    const key = `${path.line}\0${path.resolved ?? path.written}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}

function named(file: string, line: number, written: string, joined: string): NamedPath {
  const normalised = joined.replace(/\/+$/, "") || ".";
  const outside = normalised === ".." || normalised.startsWith("../") || posix.isAbsolute(normalised);
  return { file, line, written, resolved: outside ? undefined : normalised };
}

/** The [start, end) offsets of the fenced code blocks of a Markdown text. */
function fencedRanges(markdown: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const fence = /^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm;
  for (const match of markdown.matchAll(fence)) ranges.push([match.index, match.index + match[0].length]);
  return ranges;
}

/** Globs and placeholders name patterns, not files. */
function isPattern(token: string): boolean {
  return /[*{}<>,]|\.\.\.|…/.test(token.replace(/^(\.\.?\/)+/, ""));
}

function lineIndex(content: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < content.length; i++) if (content[i] === "\n") starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/** A path exists when it is a tracked file or a folder holding one (or such a file minus `.ts`). */
export function existsIn(tracked: ReadonlySet<string>, folders: ReadonlySet<string>, path: string): boolean {
  if (path === "." || tracked.has(path) || folders.has(path)) return true;
  return SCRIPT_EXTENSIONS.some((ext) => tracked.has(path + ext) || tracked.has(`${path}/index${ext}`));
}

/** Every folder that holds a tracked file, repository-relative. */
export function foldersOf(tracked: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const file of tracked) {
    for (let dir = posix.dirname(file); dir !== "."; dir = posix.dirname(dir)) folders.add(dir);
  }
  return folders;
}
