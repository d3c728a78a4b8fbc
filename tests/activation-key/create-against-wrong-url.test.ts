import { strict as assert } from "node:assert";
import { createOrAdopt } from "../../provider/activation-key/create-or-adopt";
import { createQualysClient } from "../../provider/qualys/client";
import { QualysError, QualysHttpError } from "../../provider/qualys/errors";
import { startNotQualys } from "../support/not-qualys-server";

/**
 * Issue 10: a create against a wrong API URL failed with "Qualys search got ...": the title lookup
 * that follows an ambiguous create. The user ran a create; the error must say so.
 */
describe("create against a wrong API URL", () => {
  it("fails naming the create and its title, with the lookup's code and the lookup error as cause", async () => {
    const notQualys = await startNotQualys();
    try {
      const api = createQualysClient({ apiUrl: notQualys.url, username: "u", password: `not-a-password-${Date.now()}`, authMode: "basic" });
      const write = { title: "web", type: "UNLIMITED" as const, modules: [], tagIds: [], isDisabled: false, applyOnAgents: false, suspendSelfPatch: false };
      await assert.rejects(createOrAdopt(api, write), (e: unknown) => {
        assert.ok(e instanceof QualysError);
        assert.match(e.message, /^Qualys create key "web" failed/);
        assert.match(e.message, /\n  create: Qualys create got HTTP 502/);
        assert.match(e.message, /\n  lookup: Qualys search got HTTP 502/);
        assert.equal(e.code, "QUALYS_HTTP_ERROR");
        assert.equal(e.operation, "create");
        assert.equal(e.title, "web");
        assert.ok(e.cause instanceof QualysHttpError && e.cause.operation === "search", "the lookup failure is kept as the cause");
        return true;
      });
    } finally {
      await notQualys.close();
    }
  });
});
