#!/usr/bin/env node
/**
 * `qualys-keys`: subscription tools that work next to a Pulumi stack.
 *   qualys-keys list                                   the keys of the subscription, one per line
 *   qualys-keys export-typescript                      ready-to-paste declarations (adopt: true)
 *   qualys-keys drift-report --stack-export FILE [--format markdown|json]
 *                                                      exit code 7 when a key drifted, like pulumi
 * Credentials and endpoint come from the QUALYS_* environment variables (see the README).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { resolveProviderSettings } from "../subscription/resolve-settings";
import { QualysError } from "../qualys/errors";
import { searchIncludingDisabled } from "../qualys/api/search-including-disabled";
import type { AgentActKeyApi } from "../qualys/types";
import type { LifecycleContext } from "../activation-key/context";
import { stderrSink } from "../subscription/subscription-logger";
import { SubscriptionRegistry } from "../subscription/subscription-registry";
import { driftReport, hasDrift, keysOfStackExport, renderMarkdown } from "./drift-report";
import { keysToTypeScript } from "./keys-to-typescript";

const USAGE = `usage: qualys-keys <command> [options]

commands:
  list                 the subscription's keys, disabled ones included: id, title, type, modules,
                       status (tab-separated, with a header line)
  export-typescript    ready-to-paste \`new qualys.ActivationKey(...)\` declarations with adopt: true
  drift-report --stack-export FILE [--format markdown|json]
                       per key, each drifted field with the declared and the actual value;
                       exit code 7 on drift (FILE from \`pulumi stack export --file FILE\`)
  -h, --help           this text

Reads QUALYS_USERNAME, QUALYS_PASSWORD and QUALYS_PLATFORM (or QUALYS_API_URL) from the environment.`;

/** Exit code for drift, as `pulumi ... --expect-no-changes` uses since CLI 3.227. */
export const DRIFT_EXIT_CODE = 7;

/** The subscription of the QUALYS_* environment, limit-aware like the provider (waits go to stderr). */
function subscription(): LifecycleContext {
  return new SubscriptionRegistry(stderrSink).contextFor(resolveProviderSettings(undefined, process.env));
}

async function allKeys(api: AgentActKeyApi) {
  return (await searchIncludingDisabled(api)).sort((a, b) => a.id - b.id);
}

export async function run(argv: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { "stack-export": { type: "string" }, format: { type: "string", default: "markdown" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  switch (positionals[0]) {
    case "list":
      // Tab-separated with a header, every row as many columns (`-` for none), for `cut` and `column -t`.
      out("id\ttitle\ttype\tmodules\tstatus\n");
      for (const k of await allKeys(subscription().api)) {
        out(`${k.id}\t${k.title ?? ""}\t${k.type ?? ""}\t${(k.modules ?? []).join(",") || "-"}\t${k.isDisabled ? "disabled" : "enabled"}\n`);
      }
      return 0;
    case "export-typescript":
      out(keysToTypeScript(await allKeys(subscription().api)));
      return 0;
    case "drift-report": {
      if (!values["stack-export"]) throw new UsageError("drift-report needs --stack-export FILE (from `pulumi stack export --file FILE`).");
      if (values.format !== "markdown" && values.format !== "json") throw new UsageError(`--format must be markdown or json, got ${values.format}.`);
      const keys = keysOfStackExport(JSON.parse(readFileSync(values["stack-export"], "utf8")));
      const report = await driftReport(keys, subscription().reader);
      out(values.format === "json" ? JSON.stringify({ drift: hasDrift(report), keys: report }, null, 2) + "\n" : renderMarkdown(report));
      return hasDrift(report) ? DRIFT_EXIT_CODE : 0;
    }
    default:
      throw new UsageError(positionals[0] ? `unknown command ${positionals[0]}` : "no command given");
  }
}

class UsageError extends Error {}

if (require.main === module) {
  run(process.argv.slice(2), (text) => process.stdout.write(text)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
      else process.stderr.write(`${error instanceof QualysError ? `${error.code}: ` : ""}${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    },
  );
}
