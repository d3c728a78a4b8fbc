import { strict as assert } from "node:assert";
import { createServer } from "node:net";
import { createOrAdopt } from "../../provider/activation-key/create-or-adopt";
import { createQualysClient } from "../../provider/qualys/client";
import { QualysError, QualysNetworkError } from "../../provider/qualys/errors";

/** A loopback port nothing listens on: what a mistyped qualys:apiUrl port reaches. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Issue 10: a create against a wrong API URL failed with "Qualys search got no response": the
 * title lookup that follows an ambiguous create. The user ran a create; the error must say so.
 */
describe("create against a wrong API URL", () => {
  it("fails naming the create and its title, with the lookup's code and the lookup error as cause", async () => {
    const api = createQualysClient({ apiUrl: `http://127.0.0.1:${await closedPort()}`, username: "u", password: `not-a-password-${Date.now()}`, authMode: "basic" });
    const write = { title: "web", type: "UNLIMITED" as const, modules: [], tagIds: [], isDisabled: false, applyOnAgents: false, suspendSelfPatch: false };
    await assert.rejects(createOrAdopt(api, write), (e: unknown) => {
      assert.ok(e instanceof QualysError);
      assert.match(e.message, /^Qualys create key "web" failed/);
      assert.match(e.message, /\n  create: Qualys create got no response .*ECONNREFUSED/);
      assert.match(e.message, /\n  lookup: Qualys search got no response .*ECONNREFUSED/);
      assert.equal(e.code, "QUALYS_NETWORK_ERROR");
      assert.equal(e.operation, "create");
      assert.equal(e.title, "web");
      assert.ok(e.cause instanceof QualysNetworkError && e.cause.operation === "search", "the lookup failure is kept as the cause");
      return true;
    });
  });
});
