/**
 * The simulator in a child process, so that the benchmark's CPU figures measure the provider alone.
 * Talks to it through the CLI and the HTTP admin API, as any user could.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import type { SimKey } from "../simulator/types";

export interface SimulatorProcess {
  url: string;
  counts(): Promise<Record<string, number>>;
  resetLog(): Promise<void>;
  /** Inserts `count` keys titled `prefix-0`, `prefix-1`, ... with `modules` (default VM_LICENSE). */
  insertKeys(count: number, prefix: string, modules?: string[]): Promise<number[]>;
  keyCount(): Promise<number>;
  /** Every key as the admin API lists it (agents included). */
  keys(): Promise<SimKey[]>;
  /** Attaches `count` agents to key `id`, as if installed with its activation key. */
  attachAgents(id: number, count: number): Promise<void>;
  stop(): void;
}

export async function startSimulatorProcess(args: string[]): Promise<SimulatorProcess> {
  const cli = join(__dirname, "../simulator/cli.js");
  const child: ChildProcess = spawn(process.execPath, [cli, "--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/__admin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } });
    if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    url,
    counts: async () => (await admin("GET", "counts")) as Record<string, number>,
    resetLog: async () => void (await admin("POST", "reset-log", {})),
    insertKeys: async (count, prefix, modules = ["VM_LICENSE"]) => {
      const ids: number[] = [];
      for (let i = 0; i < count; i++) ids.push(((await admin("POST", "keys", { title: `${prefix}-${i}`, modules })) as { id: number }).id);
      return ids;
    },
    keyCount: async () => ((await admin("GET", "keys")) as unknown[]).length,
    keys: async () => (await admin("GET", "keys")) as SimKey[],
    attachAgents: async (id, count) => void (await admin("POST", `keys/${id}/agents`, { count })),
    stop: () => void child.kill(),
  };
}
