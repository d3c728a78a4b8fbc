import { strict as assert } from "node:assert";
import { dynamicHostSink, engineAddressOfHost } from "../../provider/dynamic/engine-logger";
import { subscriptionLogger } from "../../provider/subscription/subscription-logger";

const engineLogger = (secrets: string[], env: NodeJS.ProcessEnv) => subscriptionLogger(dynamicHostSink, secrets, env);

const HOST = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider";

/** Lines written to this process's stderr while `body` runs (the logger's fallback channel). */
function captureStderr(body: () => void): string[] {
  const lines: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    body();
  } finally {
    process.stderr.write = original;
  }
  return lines;
}

describe("engine logger", () => {
  it("finds the engine address as the host's last argument, after logging and tracing flags", () => {
    assert.equal(engineAddressOfHost(["node", HOST, "127.0.0.1:40123"]), "127.0.0.1:40123");
    assert.equal(engineAddressOfHost(["node", HOST, "--logtostderr", "-v=9", "--tracing", "http://t:9411", "127.0.0.1:40123"]), "127.0.0.1:40123");
    assert.equal(engineAddressOfHost(["node", `${HOST}/index.js`, "127.0.0.1:7"]), "127.0.0.1:7");
  });

  it("is not the host elsewhere (mocha, the CLI, a missing address)", () => {
    assert.equal(engineAddressOfHost(["node", "/p/node_modules/.bin/mocha", "127.0.0.1:40123"]), undefined);
    assert.equal(engineAddressOfHost(["node", HOST]), undefined);
    assert.equal(engineAddressOfHost(["node", HOST, "--logtostderr"]), undefined);
  });

  it("outside the host writes to stderr, redacted, with debug lines only under QUALYS_DEBUG=1", () => {
    const quiet = captureStderr(() => {
      const log = engineLogger(["s3cret-password"], {});
      assert.equal(log.debug, undefined, "no debug without QUALYS_DEBUG, so callers build no debug text");
      log.warn("Qualys rate limit: waiting 40 s (user admin, password s3cret-password)");
    });
    assert.equal(quiet.length, 1, "no debug line without QUALYS_DEBUG");
    assert.match(quiet[0]!, /^\[pulumi-qualys\] warning: Qualys rate limit: waiting 40 s/);
    assert.doesNotMatch(quiet[0]!, /s3cret-password/);

    const verbose = captureStderr(() => engineLogger([], { QUALYS_DEBUG: "1" }).debug?.("GET /qps/rest Authorization: Basic YWRtaW46cw=="));
    assert.equal(verbose.length, 1);
    assert.match(verbose[0]!, /debug: GET \/qps\/rest/);
    assert.doesNotMatch(verbose[0]!, /YWRtaW46cw==/);
  });
});
