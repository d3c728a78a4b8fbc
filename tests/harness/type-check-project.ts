/**
 * `tsc -p DIR --noEmit` through the compiler API: writes DIR/tsconfig.json and type-checks the
 * project exactly as tsc would (type roots, module resolution and `files` all relative to DIR).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";

export interface CheckedProject {
  /** tsc's own error text, one diagnostic per line; "" when the project compiles. */
  errors: string;
  program: ts.Program;
}

export function typeCheckProject(dir: string, tsconfig: { compilerOptions: Record<string, unknown>; files: string[] }): CheckedProject {
  const configPath = join(dir, "tsconfig.json");
  writeFileSync(configPath, JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, noEmit: true } }, null, 2));
  const configErrors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d),
  });
  if (!parsed) return { errors: format(configErrors, dir), program: ts.createProgram([], {}) };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return { errors: format([...configErrors, ...parsed.errors, ...ts.getPreEmitDiagnostics(program)], dir), program };
}

function format(diagnostics: readonly ts.Diagnostic[], dir: string): string {
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" });
}
