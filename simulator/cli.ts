#!/usr/bin/env node
/**
 * `qualys-simulator`: runs the embedded Qualys simulator until SIGINT/SIGTERM.
 *
 *   qualys-simulator --port 8080 --user admin:admin-password --user auditor:pw:reader \
 *     --user mover:pw:reader:change-key --user ops:pw:manager:no-change-key \
 *     --licenses VM_LICENSE,PC_LICENSE --rate-limit 300/3600 --concurrency 2 --state keys.json
 */
import { parseArgs } from "node:util";
import { startSimulator } from "./index";
import { isLoopbackHostname } from "./loopback";
import { KNOWN_LICENSES } from "./simulator-context";
import type { SimulatorOptions, SimulatorTag, SimulatorUser } from "./types";

const USAGE = `Usage: qualys-simulator [options]
Runs a simulated Qualys Cloud Agent API (agentactkey endpoints, /auth) until Ctrl-C.

Options:
  --port N                   port to listen on (default 0: any free port, printed at start)
  --host H                   address to listen on (default 127.0.0.1; anything else warns)
  --user NAME:PASSWORD[:reader|:manager][:change-key|:no-change-key]
                             an API user; repeat for several; :reader may only search and get,
                             and sees only the keys it created; a manager holds every permission,
                             Change Activation Key (cak/ca/changeactkey) included; :change-key
                             gives it to a reader, :no-change-key takes it from a manager
                             (default: one manager admin:admin-password)
  --licenses A,B,...         modules the subscription licenses; others are dropped from keys
                             (default: all known: ${KNOWN_LICENSES.join(",")})
  --tag ID:NAME              a static tag keys may name; repeat for several (default: none)
  --rate-limit CALLS/SECONDS rolling-window rate limit, e.g. 300/3600 (default: unlimited)
  --concurrency N            calls allowed at once (default: unlimited)
  --blocked-status 409|429   status of a blocked call: 409 API server style, 429 gateway style
                             (default 409)
  --latency-ms N             least time each call takes, ms (default 0)
  --state FILE               keep the keys in this JSON file, shared between processes
                             (default: in memory, lost at exit)
  -h, --help                 this text

Agents (admin API, loopback only): attach N agents to key ID, as if installed with its key:
  curl -X POST -d '{"count": 5, "tags": ["Prod"]}' http://127.0.0.1:PORT/__admin/keys/ID/agents
They appear in the key's get and search answers and in countUsed; a key holding agents cannot be
deleted until they are moved (POST /qps/rest/1.0/cak/ca/changeactkey/) or detached
(curl -X DELETE http://127.0.0.1:PORT/__admin/keys/ID/agents).`;

/** Turns command-line arguments into simulator options; throws with a usable message. */
export function optionsFromArgs(args: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      user: { type: "string", multiple: true },
      licenses: { type: "string" },
      tag: { type: "string", multiple: true },
      "rate-limit": { type: "string" },
      concurrency: { type: "string" },
      "blocked-status": { type: "string" },
      "latency-ms": { type: "string" },
      state: { type: "string" },
    },
  });
  const rate = values["rate-limit"];
  const rateMatch = rate === undefined ? undefined : /^(\d+)\/(\d+)$/.exec(rate);
  if (rate !== undefined && !rateMatch) throw new Error(`--rate-limit must look like 300/3600 (calls/seconds), got "${rate}".`);
  const blocked = values["blocked-status"];
  if (blocked !== undefined && blocked !== "409" && blocked !== "429") throw new Error(`--blocked-status must be 409 or 429, got "${blocked}".`);
  return {
    port: integer(values.port, "--port") ?? 0,
    host: values.host,
    users: values.user?.map(parseUser),
    licenses: values.licenses?.split(",").map((license) => license.trim()).filter(Boolean),
    tags: values.tag?.map(parseTag),
    rateLimit: rateMatch ? { limit: Number(rateMatch[1]), windowSec: Number(rateMatch[2]) } : null,
    concurrencyLimit: integer(values.concurrency, "--concurrency") ?? null,
    blockedStatus: blocked === "429" ? 429 : 409,
    latencyMs: integer(values["latency-ms"], "--latency-ms"),
    statePath: values.state,
  };
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a non-negative integer, got "${value}".`);
  return Number(value);
}

const CHANGE_KEY_FLAGS: Record<string, boolean> = { "change-key": true, "no-change-key": false };

function parseUser(spec: string): SimulatorUser {
  const [username = "", password = "", role, permission, ...rest] = spec.split(":");
  const roleOk = role === undefined || role === "reader" || role === "manager";
  const permissionOk = permission === undefined || Object.hasOwn(CHANGE_KEY_FLAGS, permission);
  if (username && password && roleOk && permissionOk && rest.length === 0) {
    const user: SimulatorUser = { username, password, role: role === "reader" ? "reader" : "manager" };
    if (permission !== undefined) user.changeActivationKey = CHANGE_KEY_FLAGS[permission];
    return user;
  }
  // The password is never echoed: it may be a real one typed by mistake. Say what is wrong instead.
  const problem = !username
    ? "no name"
    : !password
      ? "no password"
      : !roleOk
        ? `role "${role}" is neither reader nor manager`
        : !permissionOk
          ? `"${permission}" is neither change-key nor no-change-key`
          : "too many parts";
  const given = [username, password && "<password>", role, permission, ...rest].filter((part) => part !== undefined && part !== "").join(":");
  throw new Error(`--user must look like name:password, name:password:reader or name:password:reader:change-key, got "${given}": ${problem}.`);
}

/** A static tag that creates may name by name alone: `--tag 12345:Prod`. */
function parseTag(spec: string): SimulatorTag {
  const match = /^(\d+):(.+)$/.exec(spec);
  if (!match?.[1] || !match[2]) throw new Error(`--tag must look like 12345:Prod (id:name), got "${spec}".`);
  return { id: Number(match[1]), name: match[2] };
}

/**
 * Said on stderr when the simulator listens beyond this machine: its users' passwords are test
 * passwords, and anyone who can reach the port can read and change every key.
 */
function exposureWarning(host: string): string {
  const line = "!".repeat(78);
  return [
    line,
    `WARNING: the Qualys simulator is listening on ${host}, which is NOT a loopback address.`,
    "Other machines may reach it. It is a test tool: its users have test passwords and anyone who",
    "can reach the port can read and change every key. (Its admin API still answers only",
    "requests addressed to a loopback name.) Use --host 127.0.0.1 (the default) unless you mean it.",
    line,
  ].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // Help wins over every other argument, valid or not, as in most CLIs.
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return;
  }
  let options: SimulatorOptions;
  try {
    options = optionsFromArgs(args);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  let simulator;
  try {
    simulator = await startSimulator(options);
  } catch (error) {
    // An option out of range (input-bounds.ts) or a port in use.
    console.error(`qualys-simulator could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHostname(host)) console.error(exposureWarning(host));
  // The default user is the simulator's own test account, so it is safe to print in full.
  const credentials = options.users?.[0] ? `${options.users[0].username}:<password>` : "admin:admin-password";
  console.log(`Qualys simulator listening on ${simulator.url}`);
  console.log(
    `Try: curl -u ${credentials} -H "X-Requested-With: curl" -H "Content-Type: text/xml" ` +
      `--data-binary "<ServiceRequest/>" ${simulator.url}/qps/rest/1.0/search/ca/agentactkey/`,
  );
  const stop = (): void => {
    simulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) void main();
