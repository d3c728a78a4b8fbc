/**
 * `qualys-keys doctor`: a user's first command against a real subscription (issue 21). Read-only
 * by default and at most 3 calls (2 when the first page holds every key): a default search (the
 * credentials, the View permission, the limit headers, the keys) and a search for disabled keys
 * (does a default search hide them? docs/qualys-api.md, "What is undocumented"). `--write-check`
 * adds a create, an update and a delete of one prefixed key and says whether Qualys kept the
 * modules asked for (it drops unlicensed ones silently: "Fields and their behaviour").
 * Each check that fails is named with its fix; nothing printed holds a credential (the user name
 * is not printed either, and errors redact by construction).
 */
import { DISABLED } from "../qualys/api/search-including-disabled";
import { QualysApiError, QualysAuthError, QualysError } from "../qualys/errors";
import type { RecordedExchange } from "../qualys/transport/exchange-recorder";
import type { AgentActKey, AgentActKeyApi, QualysOperation } from "../qualys/types";
import { resolveProviderSettings } from "../subscription/resolve-settings";
import { stderrSink } from "../subscription/subscription-logger";
import { SubscriptionRegistry } from "../subscription/subscription-registry";

export interface DoctorOptions {
  /** Add the create, update and delete of one key. */
  writeCheck: boolean;
  /** Title prefix of the write check's key (so `qualys-keys sweep` finds it if the delete fails). */
  prefix: string;
  /** Modules the write check's key asks for. */
  modules: string[];
}

/** The permission each operation needs (docs/qualys-api.md, "Responses and errors"). */
const PERMISSIONS: Partial<Record<QualysOperation, string>> = {
  search: "CA Activation Key View",
  get: "CA Activation Key View",
  create: "CA Activation Key Create",
  update: "CA Activation Key Edit",
  delete: "CA Activation Key Delete",
};

/** Largest page QPS serves (docs/qualys-api.md, "Search and paging"). */
const PAGE = 1000;

/** Runs the checks, printing one line per check; returns the exit code (1 when a check failed). */
export async function doctor(env: NodeJS.ProcessEnv, options: DoctorOptions, out: (text: string) => void): Promise<number> {
  let failed = 0;
  const ok = (check: string, detail: string): void => out(`ok    ${check}: ${detail}\n`);
  const fail = (check: string, detail: string, fix: string): void => {
    failed++;
    out(`FAIL  ${check}: ${detail}\n      fix: ${fix}\n`);
  };
  const report = (): number => {
    out(failed === 0 ? "doctor: every check passed\n" : `doctor: ${failed} check(s) failed\n`);
    return failed === 0 ? 0 : 1;
  };

  let settings;
  try {
    settings = resolveProviderSettings(undefined, env);
  } catch (error) {
    fail("settings", errorText(error), "set QUALYS_USERNAME, QUALYS_PASSWORD and QUALYS_PLATFORM (or QUALYS_API_URL), as the README's Configuration says");
    return report();
  }
  ok("platform", `API server ${settings.apiUrl}${settings.gatewayUrl ? `, gateway ${settings.gatewayUrl}` : ""}, ${settings.authMode} authentication`);

  const exchanges: RecordedExchange[] = [];
  const { api } = new SubscriptionRegistry(stderrSink, (exchange) => exchanges.push(exchange)).contextFor(settings);
  /** Runs one call; on failure names the check and its fix, and answers undefined. */
  const attempt = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      const [check, fix] = diagnosis(error);
      fail(check, errorText(error), fix);
      return undefined;
    }
  };

  const visible = await attempt(() => api.searchPage([], PAGE));
  if (!visible) return report();
  ok("credentials", "accepted; the user may search activation keys (CA Activation Key View)");
  const limits = exchanges.at(-1)?.limits ?? {};
  ok("limits", describeLimits(limits));

  const disabled = await attempt(() => api.searchPage([DISABLED], PAGE));
  if (disabled) {
    const visibleIds = new Set(visible.keys.map((key) => key.id));
    const total = new Set([...visibleIds, ...disabled.keys.map((key) => key.id)]).size;
    const more = visible.hasMoreRecords || disabled.hasMoreRecords ? " or more" : "";
    ok("keys", `${total}${more} in the subscription, ${disabled.keys.length}${disabled.hasMoreRecords ? " or more" : ""} of them disabled`);
    const shown = disabled.keys.filter((key) => visibleIds.has(key.id)).length;
    ok(
      "disabled keys",
      disabled.keys.length === 0
        ? "none in the subscription, so whether a default search hides them cannot be told (the provider searches for them separately either way)"
        : shown === 0 && !visible.hasMoreRecords
          ? "a default search hides them (the provider searches for them separately)"
          : shown > 0
            ? "a default search returns them too"
            : "not on the first page of a default search (more pages follow), so whether it hides them cannot be told",
    );
  }
  if (options.writeCheck) await writeCheck(api, options, { attempt, ok, fail, out });
  return report();
}

/** Create, update and delete one prefixed key; says which modules Qualys kept. */
async function writeCheck(api: AgentActKeyApi, options: DoctorOptions, { attempt, ok, fail, out }: CheckReporter): Promise<void> {
  const title = `${options.prefix}doctor-${Date.now().toString(36)}`;
  const created: AgentActKey | undefined = await attempt(() => api.create({ title, type: "UNLIMITED", modules: options.modules }));
  if (!created) return;
  ok("create", `key ${created.id} "${title}"`);
  const kept = created.modules ?? [];
  const dropped = options.modules.filter((module) => !kept.includes(module));
  if (dropped.length === 0) ok("modules", `Qualys kept every module asked for (${options.modules.join(", ")})`);
  else {
    fail(
      "modules",
      `Qualys dropped ${dropped.join(", ")} without an error and kept ${kept.length > 0 ? kept.join(", ") : "none"}: the subscription does not license them`,
      "declare only licensed modules (a key asking for others fails with QUALYS_MODULES_NOT_LICENSED), or have them licensed",
    );
  }
  const updated = await attempt(() => api.update(created.id, { title: `${title}-updated`, type: "UNLIMITED", modules: kept }));
  if (updated) ok("update", `key ${created.id} renamed "${title}-updated"`);
  const deleted = await attempt(async () => (await api.delete(created.id), true));
  if (deleted) ok("delete", `key ${created.id} deleted`);
  else out(`      the key is left behind: remove it with \`qualys-keys sweep --prefix ${options.prefix} --yes\`\n`);
}

/** How a check reports: a passed or failed line, free text, and a call whose failure becomes a failed check. */
interface CheckReporter {
  attempt<T>(call: () => Promise<T>): Promise<T | undefined>;
  ok(check: string, detail: string): void;
  fail(check: string, detail: string, fix: string): void;
  out(text: string): void;
}

/** The check a failure belongs to, and its fix. */
function diagnosis(error: unknown): [string, string] {
  if (error instanceof QualysAuthError) {
    const operation = error.operation;
    const permission = operation ? PERMISSIONS[operation] : undefined;
    if (error.responseCode === "INSUFFICIENT_PERMISSION" && permission) {
      return [`permission ${permission}`, `grant the API user the "${permission}" permission (Cloud Agent role), or run as a user who has it`];
    }
    if (error.responseCode === "UNAUTHORIZED") return ["API access", "enable \"API Access\" for the user (Users > Edit > User Role), or use a user who has it"];
    return ["credentials", "check QUALYS_USERNAME and QUALYS_PASSWORD, and that the user is not locked or expired"];
  }
  if (error instanceof QualysError) {
    if (error.code === "QUALYS_NETWORK_ERROR") return ["reaching the API server", "check QUALYS_PLATFORM / QUALYS_API_URL and any proxy (the message names the URL)"];
    if (error.code === "QUALYS_RATE_LIMITED") return ["limits", "the subscription's API limit is used up: run again later, or ask Qualys Support for higher limits"];
    if (error instanceof QualysApiError) return [`${error.operation ?? "call"} answer`, "see Qualys' errorMessage and errorResolution above; report it with a QUALYS_RECORD file if it looks wrong"];
    return [`${error.operation ?? "call"}`, "see the message; the README's \"Troubleshooting: error codes\" lists each code's fix"];
  }
  return ["unexpected error", "report it with a QUALYS_RECORD file (README)"];
}

/** What the answer's limit headers announce (docs/qualys-api.md, "Rate and concurrency limits"). */
export function describeLimits(limits: Record<string, string>): string {
  const rate = limits["x-ratelimit-limit"];
  const window = limits["x-ratelimit-window-sec"];
  const remaining = limits["x-ratelimit-remaining"];
  const concurrency = limits["x-concurrency-limit-limit"] ?? limits["x-concurrencylimit-limit"];
  const parts: string[] = [];
  if (rate) parts.push(`rate ${rate} calls per ${window ?? "?"} s${remaining ? ` (${remaining} left)` : ""}`);
  if (concurrency) parts.push(`concurrency ${concurrency} call(s) at once`);
  if (parts.length === 0) return "the answer announced no limit (the provider keeps to the documented defaults: 300 calls an hour, 2 at once)";
  return `the answer announced ${parts.join(", ")}`;
}

function errorText(error: unknown): string {
  return `${error instanceof QualysError ? `${error.code}: ` : ""}${error instanceof Error ? error.message : String(error)}`;
}
