import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../harness/test-stack";

/**
 * The README's simulator walkthrough, run as written from the repository root, as a new user runs
 * it after `npm ci`: `npm run simulator -- …` in one terminal, then each line of the next block in
 * another. One change only: the simulator listens on a free port instead of 8080 (several suites
 * may share this machine), and the other lines are pointed at it. This suite runs from dist/, so
 * none of these may rebuild it (issue 19: `npx` used to run `prepare`, which wiped dist/).
 */
describe("README: the embedded simulator walkthrough, run as written", function () {
  this.timeout(300_000);
  let server: ChildProcess | undefined;

  after(async () => {
    if (server?.pid === undefined || server.exitCode !== null || server.signalCode !== null) return;
    const exited = once(server, "exit");
    process.kill(-server.pid, "SIGTERM"); // the group: npm and the simulator it started
    await exited;
  });

  it("starts the simulator with npm run simulator, answers every curl and qualys-keys line, and leaves dist/ alone", async () => {
    const [serverBlock, clientBlock] = shellBlocks(section(readFileSync(join(REPO_ROOT, "README.md"), "utf8"), "## The embedded Qualys simulator"));
    const serverCommands = commands(serverBlock ?? "");
    assert.equal(serverCommands.length, 1, "the first block starts the simulator");
    const serverCommand = serverCommands[0]!;
    assert.match(serverCommand, /^npm run simulator -- .*--port 8080\b/);
    const before = distStamps();
    server = spawn("bash", ["-c", `exec ${serverCommand.replace("--port 8080", "--port 0")}`], { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const url = await listeningUrl(server);

    const clientCommands = commands(clientBlock ?? "");
    assert.ok(clientCommands.length >= 3, "the second block talks to it");
    let lastOutput = "";
    for (const command of clientCommands) {
      assert.ok(command.includes("http://127.0.0.1:8080"), `${command}: talks to the simulator of the first block`);
      const result = spawnSync("bash", ["-c", command.replaceAll("http://127.0.0.1:8080", url)], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
      assert.equal(result.status, 0, `${command}\n${result.stderr}`);
      if (command.startsWith("curl ")) assert.match(result.stdout, /<responseCode>SUCCESS<\/responseCode>/, command);
      lastOutput = result.stdout;
    }
    assert.match(lastOutput, /^id\ttitle\ttype\tmodules\tstatus\n/, "list starts with a header");
    assert.match(lastOutput, /^3617002\tUpdate from APIfim owner1\tUNLIMITED\t[^\t\n]*\tenabled$/m, "the last line lists the key the curl lines created and updated");
    assert.doesNotMatch(lastOutput, /\t$/m, "no trailing tab");
    assert.deepEqual(distStamps(), before, "dist/ was neither wiped nor rewritten under the running suite");
  });
});

/** Inode and modification time of dist/ and of files the suite and the walkthrough run. */
function distStamps(): Record<string, string> {
  const files = ["dist", "dist/simulator/cli.js", "dist/provider/cli/qualys-keys.js", "dist/provider/index.js", __filename];
  return Object.fromEntries(files.map((file) => {
    const stat = statSync(file.startsWith("/") ? file : join(REPO_ROOT, file));
    return [file, `${stat.ino} ${stat.mtimeMs}`];
  }));
}

/** The text of a `## ` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has the section ${heading}`);
  const end = markdown.indexOf("\n## ", start + heading.length + 2);
  return markdown.slice(start, end < 0 ? undefined : end);
}

function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** One string per command: `\` line continuations joined, blank lines and comments dropped. */
function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Qualys simulator listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`the simulator exited with ${code}: ${output}`)));
  });
}
