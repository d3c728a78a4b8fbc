#!/usr/bin/env node
/**
 * `qualys-keys`: subscription tools that work next to a Pulumi stack.
 *   qualys-keys list                                   the keys of the subscription, one per line
 *   qualys-keys export-typescript                      ready-to-paste declarations (adopt: true)
 *   qualys-keys drift-report --stack-export FILE [--format markdown|json]
 *                                                      exit code 7 when a key drifted, like pulumi
 *   qualys-keys move-agents --from <id|title> --to <id|title> [--agents ID,...] [--apply]
 *                                                      dry run unless --apply
 *   qualys-keys sweep --prefix P [--older-than 2h] [--yes]
 *                                                      removes keys a failed run left (dry run by default)
 *   qualys-keys doctor [--write-check]                 first-run checks of a subscription
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
import { doctor } from "./doctor";
import { keysToTypeScript } from "./keys-to-typescript";
import { applyAgentMove, planAgentMove, type AgentMovePlan } from "../activation-key/move-agents";
import { DEFAULT_TEST_PREFIX, parseDuration, sweep } from "./sweep";

const USAGE = `usage: qualys-keys <command> [options]

commands:
  list                 the subscription's keys, disabled ones included: id, title, type, modules,
                       status (tab-separated, with a header line)
  export-typescript    ready-to-paste \`new qualys.ActivationKey(...)\` declarations with adopt: true
  drift-report --stack-export FILE [--format markdown|json]
                       per key, each drifted field with the declared and the actual value;
                       exit code 7 on drift (FILE from \`pulumi stack export --file FILE\`)
  move-agents --from <id|title> --to <id|title> [--agents ID,ID,...] [--apply]
                       move the Cloud Agents of one key (or only the named agent ids) to another
                       key (Qualys' Change Activation Key). A dry run that changes nothing unless
                       --apply is given; the real run reads both keys back and exits 1 if an
                       agent did not arrive. The API user needs the Change Activation Key permission.
  sweep --prefix P [--older-than 90s|30m|2h|7d] [--yes]
                       lists, and with --yes deletes, the keys whose title starts with P
                       (dry run by default; a key with registered agents is never touched)
  doctor [--write-check] [--prefix P] [--modules VM_LICENSE,PC_LICENSE]
                       first-run checks: URLs, credentials, limits, keys, whether search hides
                       disabled keys (2 or 3 calls, read-only); --write-check adds a create,
                       update and delete of one key titled P... and reports dropped modules
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
    options: {
      "stack-export": { type: "string" },
      format: { type: "string", default: "markdown" },
      from: { type: "string" },
      to: { type: "string" },
      agents: { type: "string" },
      apply: { type: "boolean", default: false },
      prefix: { type: "string" },
      "older-than": { type: "string" },
      yes: { type: "boolean", default: false },
      "write-check": { type: "boolean", default: false },
      modules: { type: "string", default: "VM_LICENSE,PC_LICENSE" },
      help: { type: "boolean", short: "h" },
    },
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
    case "move-agents": {
      if (!values.from || !values.to) throw new UsageError("move-agents needs --from <id|title> and --to <id|title>.");
      const agentIds = values.agents === undefined ? undefined : agentIdList(values.agents);
      const context = subscription();
      const plan = await planAgentMove(context, values.from, values.to, agentIds);
      out(describePlan(plan, values.apply === true));
      if (plan.agents.length === 0 || values.apply !== true) return 0;
      const result = await applyAgentMove(context, plan);
      out(`Moved: key ${result.from.id} now has ${result.from.countUsed ?? 0} agent(s), key ${result.to.id} has ${result.to.countUsed ?? 0}.\n`);
      if (result.notMoved.length === 0) return 0;
      out(`Not on key ${result.to.id} after the move: agent(s) ${result.notMoved.join(", ")}. Run the command again, or check them in the Cloud Agent UI.\n`);
      return 1;
    }
    case "sweep": {
      if (!values.prefix) throw new UsageError("sweep needs --prefix P: it only ever touches keys whose title starts with P.");
      const olderThan = values["older-than"];
      const olderThanMs = olderThan === undefined ? undefined : usage(() => parseDuration(olderThan, "--older-than"));
      await sweep(subscription().api, { prefix: values.prefix, olderThanMs, yes: values.yes, now: Date.now() }, out);
      return 0;
    }
    case "doctor": {
      const modules = values.modules.split(",").map((m) => m.trim().toUpperCase()).filter(Boolean);
      return doctor(process.env, { writeCheck: values["write-check"], prefix: values.prefix ?? DEFAULT_TEST_PREFIX, modules }, out);
    }
    default:
      throw new UsageError(positionals[0] ? `unknown command ${positionals[0]}` : "no command given");
  }
}

class UsageError extends Error {}

function agentIdList(text: string): number[] {
  const ids = text.split(",").map((part) => part.trim());
  if (ids.length === 0 || !ids.every((id) => /^\d+$/.test(id) && Number.isSafeInteger(Number(id)))) {
    throw new UsageError(`--agents must be agent asset ids separated by commas, e.g. 8409005,8409006; got ${JSON.stringify(text)}.`);
  }
  return ids.map(Number);
}

/** What the move does (or, in a dry run, would do), agent by agent. */
function describePlan(plan: AgentMovePlan, apply: boolean): string {
  const key = (k: { id: number; title?: string }): string => `key ${k.id} "${k.title ?? ""}"`;
  const lines: string[] = [];
  if (plan.notOnFrom.length > 0) lines.push(`Not registered with ${key(plan.from)}, left alone: agent(s) ${plan.notOnFrom.join(", ")}.`);
  if (plan.agents.length === 0) {
    lines.push(`Nothing to move: ${key(plan.from)} holds none of the agents asked for.`);
    return `${lines.join("\n")}\n`;
  }
  lines.push(`${apply ? "Moving" : "Dry run: would move"} ${plan.agents.length} agent(s) from ${key(plan.from)} to ${key(plan.to)}:`);
  for (const agent of plan.agents) lines.push(`  ${agent.id}\t${agent.name ?? ""}\t${agent.uuid ?? ""}`);
  if (!apply) lines.push("Nothing was changed. Run again with --apply to move them.");
  return `${lines.join("\n")}\n`;
}

/** Runs a flag's check, turning its refusal into a UsageError (usage text, exit code 2). */
function usage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

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
