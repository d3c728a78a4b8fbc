/**
 * Writes provider/qualys/version.ts from package.json's version at build time, so the User-Agent
 * and the plugin's GetPluginInfo name the package's version without reading package.json at run
 * time (a serialized or bundled copy of the code has none to read). A build tool, never shipped:
 * `npm run generate` rewrites it, and so does `npm version` (the `version` script);
 * tests/repository/package-version.test.ts fails when the committed file is not what this produces.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file's path in the source tree. */
export const VERSION_FILE = "provider/qualys/version.ts";

/** The source text of version.ts for `version`. */
export function versionSource(version: string): string {
  return [
    "// Generated from package.json by `npm run generate`. Do not edit.",
    "",
    "/** This package's version (package.json), for the User-Agent header and the plugin's GetPluginInfo. */",
    `export const PACKAGE_VERSION = ${JSON.stringify(version)};`,
    "",
  ].join("\n");
}

/** The version package.json in `root` declares. */
export function declaredVersion(root: string): string {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown };
  if (typeof version !== "string") throw new Error(`${join(root, "package.json")} has no version`);
  return version;
}

if (require.main === module) {
  const root = process.argv[2] ?? ".";
  writeFileSync(join(root, VERSION_FILE), versionSource(declaredVersion(root)));
}
