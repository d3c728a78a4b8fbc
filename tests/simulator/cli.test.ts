import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { basic, createBody, modulesOf, onlyKey, qps, tagsOf } from "./simulator-http";

// Compiled layout: dist/tests/simulator/cli.test.js → dist/simulator/cli.js
const CLI = join(__dirname, "..", "..", "simulator", "cli.js");

/** Starts the CLI and resolves with its URL once it prints the listening line; `stderr()` is what it said there so far. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Qualys simulator listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
  });
  return { child, url, stderr: () => errors };
}

describe("qualys-simulator CLI", () => {
  it("starts from flags, answers a create with the configured user, licenses and limits, stops on SIGTERM", async () => {
    const { child, url } = await startCli([
      "--port", "0", "--user", "tester:tester-pass", "--user", "viewer:viewer-pass:reader",
      "--licenses", "VM_LICENSE", "--rate-limit", "5/60", "--concurrency", "2", "--tag", "4242:Prod",
    ]);
    try {
      const modules = "<modules><list><ActivationKeyModule><license>VM_LICENSE</license></ActivationKeyModule><ActivationKeyModule><license>PC_LICENSE</license></ActivationKeyModule></list></modules>";
      const answer = await qps(url, "create/ca/agentactkey/", createBody("cli", `<type>UNLIMITED</type>${modules}`), { authorization: basic("tester", "tester-pass") });
      assert.equal(answer.body?.responseCode, "SUCCESS");
      assert.deepEqual(modulesOf(onlyKey(answer)), ["VM_LICENSE"]);
      assert.equal(answer.headers.get("x-ratelimit-limit"), "5");
      assert.equal(answer.headers.get("x-concurrency-limit-limit"), "2");
      const reader = await qps(url, `get/ca/agentactkey/${onlyKey(answer).id}`, undefined, { authorization: basic("viewer", "viewer-pass") });
      assert.equal(reader.body?.responseCode, "OBJECT_NOT_FOUND");
      const tagged = await qps(url, "create/ca/agentactkey/", createBody("cli-tagged", "<type>UNLIMITED</type><tags><list><Tag><name>Prod</name></Tag></list></tags>"), { authorization: basic("tester", "tester-pass") });
      assert.deepEqual(tagsOf(onlyKey(tagged)), [{ id: "4242", name: "Prod" }]);
      const defaultUser = await qps(url, "search/ca/agentactkey/", "<ServiceRequest/>");
      assert.equal(defaultUser.status, 401);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0);
  });

  it("warns loudly on stderr when bound to a non-loopback address, and only then", async () => {
    for (const [host, warned] of [["0.0.0.0", true], ["127.0.0.1", false], ["localhost", false]] as const) {
      const { child, stderr } = await startCli(["--port", "0", "--host", host]);
      child.kill("SIGTERM");
      // "close", not "exit": every byte of stderr has arrived by then.
      await once(child, "close");
      if (warned) {
        assert.match(stderr(), /WARNING: the Qualys simulator is listening on 0\.0\.0\.0, which is NOT a loopback address/);
        assert.match(stderr(), /--host 127\.0\.0\.1/);
      } else assert.equal(stderr(), "", host);
    }
  });

  it("exits with status 2 and the usage on a bad flag", async () => {
    const child = spawn(process.execPath, [CLI, "--rate-limit", "lots"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 2);
    assert.match(stderr, /--rate-limit must look like 300\/3600/);
    assert.match(stderr, /Usage: qualys-simulator/);
  });

  it("--help says what each flag does and its default", () => {
    const { stdout, status } = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
    assert.equal(status, 0);
    const flags = ["--port", "--host", "--user", "--licenses", "--tag", "--rate-limit", "--concurrency", "--blocked-status", "--latency-ms", "--state"];
    for (const [i, flag] of flags.entries()) {
      const start = stdout.search(new RegExp(`^  ${flag} `, "m"));
      assert.ok(start >= 0, `${flag} has a line of its own`);
      const next = flags[i + 1] === undefined ? stdout.length : stdout.search(new RegExp(`^  ${flags[i + 1]} `, "m"));
      const entry = stdout.slice(start, next);
      assert.match(entry.replace(/^ {2}--\S+(?: \S+)?/, ""), /[a-z]{3,} [a-z]{2,}/, `${flag}: what it does`);
      assert.match(entry, /\(default/, `${flag}: its default`);
    }
  });

  it("names what a --user lacks, never echoing more than the name", () => {
    const user = (spec: string) => spawnSync(process.execPath, [CLI, "--user", spec], { encoding: "utf8" });
    const alice = user("alice");
    assert.equal(alice.status, 2);
    assert.match(alice.stderr, /^--user must look like name:password, name:password:reader or name:password:reader:change-key, got "alice": no password\.$/m);
    const role = user("bob:secret-pw:admin");
    assert.match(role.stderr, /got "bob:<password>:admin": role "admin" is neither reader nor manager\./);
    assert.doesNotMatch(role.stderr, /secret-pw/);
  });
});
