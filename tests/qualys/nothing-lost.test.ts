/**
 * Issue 11, "Nothing lost": only a definite "not found" may drop a key from state; an odd answer
 * fails the read, one odd key never breaks a search, and nothing is silently rounded.
 */
import { strict as assert } from "node:assert";
import { readKey } from "../../provider/activation-key/read";
import { createQualysClient } from "../../provider/qualys/client";
import { SearchBackedKeyReader } from "../../provider/qualys/api/search-backed-key-reader";
import { QualysError, QualysHttpError, QualysUnreadableKeyError } from "../../provider/qualys/errors";
import type { AgentActKeyApi, QualysLogger } from "../../provider/qualys/types";
import type { LifecycleContext } from "../../provider/activation-key/context";
import { KeyClaims } from "../../provider/activation-key/key-claims";
import { qpsXml, sendXml, startHostileServer, type HostileServer } from "../support/hostile-server";

const BEYOND_2_53 = "9007199254740993"; // Number() would read 9007199254740992

/** Answers get by id and every search from a script of key elements. */
function qualysOf(keysById: Record<number, string>, searchKeys: string[]) {
  return startHostileServer((req, res) => {
    const get = /\/get\/ca\/agentactkey\/(\d+)/.exec(req.path);
    if (get) {
      const key = keysById[Number(get[1])];
      if (key === undefined) {
        return sendXml(res, qpsXml("<responseCode>OBJECT_NOT_FOUND</responseCode><responseErrorDetails><errorMessage>Object not found</errorMessage></responseErrorDetails>"));
      }
      return sendXml(res, qpsXml(`<responseCode>SUCCESS</responseCode><count>1</count>${key === "" ? "" : `<data>${key}</data>`}`));
    }
    // The disabled-keys search finds nothing; the default one finds `searchKeys`.
    const keys = req.body.includes('field="isDisabled"') ? [] : searchKeys;
    sendXml(res, qpsXml(`<responseCode>SUCCESS</responseCode><count>${keys.length}</count><hasMoreRecords>false</hasMoreRecords>${keys.length ? `<data>${keys.join("")}</data>` : ""}`));
  });
}

const key = (id: string | number, title: string, extra = "") => `<AgentActKey><id>${id}</id><title>${title}</title><type>UNLIMITED</type>${extra}</AgentActKey>`;

describe("nothing lost: odd answers never drop or round a key (issue 11)", () => {
  let server: HostileServer;
  let warnings: string[];
  let api: AgentActKeyApi;
  let ctx: LifecycleContext;

  async function start(keysById: Record<number, string>, searchKeys: string[] = []): Promise<void> {
    server = await qualysOf(keysById, searchKeys);
    warnings = [];
    const log: QualysLogger = { debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m) };
    api = createQualysClient({ apiUrl: server.url, username: "sim-user", password: `sim-${process.pid}-password`, logger: log });
    ctx = { api, reader: new SearchBackedKeyReader(api), log, rotations: new Map(), claims: new KeyClaims() };
  }
  afterEach(() => server.close());

  it("fails the read of a get answered SUCCESS without a key, instead of dropping the key from state", async () => {
    await start({ 5: "" });
    await assert.rejects(readKey(ctx, "5", {}), (e: unknown) => {
      assert.ok(e instanceof QualysHttpError, String(e));
      assert.match(e.message, /Qualys get key 5 answered SUCCESS with no key at all: not a "not found", so the key is kept/);
      return true;
    });
  });

  it("still drops a key Qualys definitely does not know (OBJECT_NOT_FOUND)", async () => {
    await start({});
    assert.equal(await readKey(ctx, "5", {}), undefined);
  });

  it("refuses a get answered with another key's id", async () => {
    await start({ 5: key(7, "someone-else", "<activationKey>not-ours</activationKey>") });
    await assert.rejects(api.get(5), (e: unknown) => e instanceof QualysHttpError && /get key 5 answered SUCCESS with key 7 instead/.test(e.message));
    await assert.rejects(readKey(ctx, "5", {}), QualysHttpError);
  });

  it("reads the other keys of a search around one odd key, warns about it, and fails only that key's read", async () => {
    const odd = key(2, "huge", `<countPurchased>${BEYOND_2_53}</countPurchased>`);
    await start({ 1: key(1, "fine"), 2: odd }, [key(1, "fine"), odd, key(3, "also-fine")]);
    const found = await api.searchAll();
    assert.deepEqual(found.map((k) => k.id), [1, 3]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Qualys search skipped key 2 \("huge"\): <countPurchased> "9007199254740993" is beyond ±2\^53/);
    assert.match(warnings[0]!, /QUALYS_UNREADABLE_KEY/);

    assert.equal((await readKey(ctx, "1", {}))?.outputs.title, "fine");
    await assert.rejects(readKey(ctx, "2", {}), (e: unknown) => {
      assert.ok(e instanceof QualysUnreadableKeyError, String(e));
      assert.equal(e.code, "QUALYS_UNREADABLE_KEY");
      assert.equal(e.keyId, 2);
      assert.match(e.message, /Qualys get answered key 2 \("huge"\) with a value this provider cannot represent exactly: <countPurchased> "9007199254740993"/);
      assert.match(e.message, /Correct the value in Qualys/);
      return true;
    });
  });

  it("never lets a key whose id is unreadable vanish silently: a warning in the search, an error on its read", async () => {
    await start({ 4: key(BEYOND_2_53, "big-id") }, [key(BEYOND_2_53, "big-id"), key(1, "fine")]);
    assert.deepEqual((await api.searchAll()).map((k) => k.id), [1]);
    assert.match(warnings[0]!, /Qualys search skipped a key without a readable id \("big-id"\): <id> "9007199254740993" is beyond ±2\^53/);
    await assert.rejects(readKey(ctx, "4", {}), QualysUnreadableKeyError);
  });

  it("refuses a resource id that is not a Qualys id instead of rounding it", async () => {
    await start({});
    for (const id of [BEYOND_2_53, "abc", "5.0", ""]) {
      await assert.rejects(readKey(ctx, id, {}), (e: unknown) => e instanceof QualysError && e.code === "QUALYS_INVALID_INPUT", id);
    }
    assert.equal(server.requests.length, 0);
  });
});
