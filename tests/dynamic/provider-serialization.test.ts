import { strict as assert } from "node:assert";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializedProvider } from "../../provider/testing/serialized-provider";
import { REPO_ROOT } from "../harness/test-stack";

/**
 * The `__provider` text is stored in state for every key. It must hold no credential, no path and
 * no version, and stay byte-identical across builds, or every upgrade shows `~__provider` on every
 * key (pulumi/pulumi#12401) and refresh/destroy run stale code (pulumi/pulumi#16826).
 */
describe("serialized provider (__provider in state)", () => {
  const golden = readFileSync(join(REPO_ROOT, "tests/fixtures/activation-key-provider.serialized.js"), "utf8");

  it("is exactly the reviewed text: a shim that loads pulumi-qualys/provider-runtime by name", async () => {
    // If this fails, the shim changed: every existing stack would show ~__provider on every key.
    // Only update the fixture on purpose, and say so in the release notes.
    assert.equal(await serializedProvider(), golden);
  });

  it("holds no credential, absolute path or version, even with credentials in config and env", async () => {
    const sentinel = "s3ntinel-Pa55word";
    process.env.QUALYS_PASSWORD = sentinel;
    try {
      const text = await serializedProvider();
      assert.ok(!text.includes(sentinel));
      assert.ok(!text.includes(REPO_ROOT), "no absolute path");
      assert.ok(!/\/(home|root|work|tmp|Users)\//.test(text), "no absolute path");
      assert.ok(!/\d+\.\d+\.\d+/.test(text), "no version number");
      const pkg = require("pulumi-qualys/package.json") as { version: string };
      assert.ok(!text.includes(pkg.version));
      assert.match(text, /require\("pulumi-qualys\/provider-runtime"\)/);
    } finally {
      delete process.env.QUALYS_PASSWORD;
    }
  });

  it("is byte-identical for a second build at another path with different implementation code", async () => {
    const copy = mkdtempSync(join(tmpdir(), "pulumi-qualys-build-"));
    try {
      // dereference: in the Node 22 leg dist/provider is a symlink to the installed package, which
      // a copy of the link would let this test modify (tests/support-matrix/run-node-legs.ts).
      cpSync(join(REPO_ROOT, "dist/provider"), join(copy, "provider"), { recursive: true, dereference: true });
      // A different implementation: the runtime of this "release" gains code and changes behaviour.
      const runtime = join(copy, "provider/dynamic/provider-runtime.js");
      const changed = readFileSync(runtime, "utf8").replace("return { changes:", "void 'release 2'; return { changes:");
      writeFileSync(runtime, changed);
      const otherShim = require(join(copy, "provider/dynamic/provider-shim.js")) as { activationKeyProvider: unknown };
      assert.equal(await serializedProvider(otherShim.activationKeyProvider), golden);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
