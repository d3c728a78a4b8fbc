#!/usr/bin/env node
/**
 * `qualys-simulator`: runs the embedded Qualys simulator until SIGINT/SIGTERM.
 *
 *   qualys-simulator --port 8080 --user admin:admin-password --user auditor:pw:reader \
 *     --licenses VM_LICENSE,PC_LICENSE --rate-limit 300/3600 --concurrency 2 --state keys.json
 */
import { parseArgs } from "node:util";
import { startSimulator } from "./index";
import type { SimulatorOptions, SimulatorUser } from "./types";

const USAGE = `Usage: qualys-simulator [--port N] [--host H] [--user name:password[:reader]]...
  [--licenses VM_LICENSE,PC_LICENSE,...] [--rate-limit CALLS/SECONDS] [--concurrency N]
  [--blocked-status 409|429] [--latency-ms N] [--state FILE]`;

/** Turns command-line arguments into simulator options; throws with a usable message. */
export function optionsFromArgs(args: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      user: { type: "string", multiple: true },
      licenses: { type: "string" },
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

function parseUser(spec: string): SimulatorUser {
  const [username = "", password = "", role] = spec.split(":");
  if (!username || !password || (role !== undefined && role !== "reader" && role !== "manager")) {
    throw new Error(`--user must look like name:password or name:password:reader, got "${username}:...".`);
  }
  return { username, password, role: role ?? "manager" };
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
  const simulator = await startSimulator(options);
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
