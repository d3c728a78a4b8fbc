import { strict as assert } from "node:assert";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { HostCallError, PLUGIN_URN_PREFIX, PluginProcess, secret, type ProviderProcess, type Props } from "pulumi-qualys/testing";
import { startTestStack } from "../harness/test-stack";

/**
 * What a user sees when an operation fails, through both adapters as the engine drives them: the
 * stable QUALYS_* code leads the text, resource ids follow one rule everywhere, and one key is
 * never managed by two resources of a run.
 */
interface Adapter {
  provider: ProviderProcess;
  sim: RunningSimulator;
  urn(name: string): string;
  /** Inputs as the engine sends them for this adapter. */
  inputs(props: Props): Props;
  close(): Promise<void>;
}

const PASSWORD = ["errors", "test", "pw", String(process.pid)].join("-");
const USER = { username: "errors-user", password: PASSWORD, role: "manager" as const };

const ADAPTERS: Record<string, () => Promise<Adapter>> = {
  "the dynamic-provider host": async () => {
    const stack = await startTestStack();
    return { provider: stack.host, sim: stack.sim, urn: stack.urn, inputs: stack.inputs, close: () => stack.close() };
  },
  "the pulumi-resource-qualys plugin": async () => {
    const sim = await startSimulator({ users: [USER] });
    const plugin = await PluginProcess.start();
    await plugin.configure({ apiUrl: sim.url, username: USER.username, password: secret(PASSWORD) });
    return {
      provider: plugin,
      sim,
      urn: (name) => `${PLUGIN_URN_PREFIX}${name}`,
      inputs: (props) => props,
      close: async () => {
        await plugin.close();
        await sim.close();
      },
    };
  },
};

/** The failure of `call`, as the engine would show it. */
async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof HostCallError, String(error));
    return error.details;
  }
  assert.fail("the call succeeded");
}

for (const [adapterName, start] of Object.entries(ADAPTERS)) {
  describe(`errors users see, through ${adapterName}`, function () {
    this.timeout(60_000);
    let a: Adapter;
    beforeEach(async () => (a = await start()));
    afterEach(() => a.close());

    async function checked(name: string, props: Props): Promise<Props> {
      const { inputs, failures } = await a.provider.check(a.urn(name), {}, a.inputs(props));
      assert.deepEqual(failures, []);
      return inputs;
    }

    it("leads the text with the stable code, once", async () => {
      a.sim.admin.insertKey({ title: "taken" });
      const text = await failure(a.provider.create(a.urn("dup"), await checked("dup", { title: "taken" })));
      assert.match(text, /^QUALYS_DUPLICATE_TITLE: \S/);
      assert.doesNotMatch(text, /QUALYS_DUPLICATE_TITLE: QUALYS_/, "not prefixed twice");
    });

    it("one id rule for read, update and delete: canonical decimal from 1 to 2^53-1", async () => {
      const key = a.sim.admin.insertKey({ title: "victim" });
      const inputs = await checked("victim", { title: "victim", isDisabled: true });
      const ids = [`0x${key.id.toString(16)}`, `${key.id / 10}e1`, ` ${key.id} `, `0${key.id}`, `+${key.id}`, `${key.id}.0`, "", "0", "9007199254740993", "abc", "-1"];
      for (const id of ids) {
        for (const [operation, call] of [
          ["read", () => a.provider.read(a.urn("victim"), id, a.inputs({}))],
          ["update", () => a.provider.update(a.urn("victim"), id, a.inputs({}), inputs)],
          ["delete", () => a.provider.delete(a.urn("victim"), id, a.inputs({}))],
        ] as const) {
          const text = await failure(call());
          assert.match(text, /^QUALYS_INVALID_INPUT: The resource id /, `${operation} ${JSON.stringify(id)}`);
          assert.ok(text.includes(JSON.stringify(id)), `${operation} names the id as given: ${text}`);
        }
      }
      const after = a.sim.admin.getKey(key.id);
      assert.equal(after?.title, "victim", "the key is still there");
      assert.notEqual(after?.isDisabled, true, "and was never updated");
      assert.equal((await a.provider.read(a.urn("victim"), String(key.id), a.inputs({}))).id, String(key.id), "the canonical id still works");
    });

    it("two resources adopting one key in one run: the second fails naming the first", async () => {
      const key = a.sim.admin.insertKey({ title: "shared" });
      const declared = await checked("first", { title: "shared", adopt: true });
      const outcomes = await Promise.allSettled([a.provider.create(a.urn("first"), declared), a.provider.create(a.urn("second"), declared)]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      assert.equal(won.length, 1, "exactly one resource manages the key");
      assert.equal((won[0] as PromiseFulfilledResult<{ id: string }>).value.id, String(key.id));
      const lost = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      assert.ok(lost.reason instanceof HostCallError);
      assert.match(lost.reason.details, /^QUALYS_DUPLICATE_TITLE: .*already managed by/);
      if (adapterName.includes("plugin")) {
        const first = outcomes[0]!.status === "fulfilled" ? "first" : "second";
        assert.ok(lost.reason.details.includes(a.urn(first)), `names the first resource: ${lost.reason.details}`);
      }
      assert.equal(a.sim.admin.listKeys().length, 1);
    });
  });
}

describe("errors users see, through the plugin only", function () {
  this.timeout(60_000);
  let a: Adapter;
  beforeEach(async () => (a = await ADAPTERS["the pulumi-resource-qualys plugin"]!()));
  afterEach(() => a.close());

  it("getActivationKey takes ids by the same rule", async () => {
    const key = a.sim.admin.insertKey({ title: "looked-up" });
    const plugin = a.provider as PluginProcess;
    for (const id of [`0x${key.id.toString(16)}`, `0${key.id}`, ` ${key.id}`, "0"]) {
      const { failures } = await plugin.invoke("qualys:index:getActivationKey", { id });
      assert.deepEqual(failures.map((f) => f.property), ["id"], id);
    }
    const text = await failure(plugin.invoke("qualys:index:getActivationKey", { id: "9007199254740993" }));
    assert.match(text, /^QUALYS_INVALID_INPUT: The resource id "9007199254740993"/);
    assert.equal((await plugin.invoke("qualys:index:getActivationKey", { id: String(key.id) })).result?.title, "looked-up");
  });

  it("a value over gRPC's default 4 MiB reaches check, which names the property that is too large", async () => {
    // 4.5 MiB: over grpc-js's default receive limit, under the engine's 400 MiB.
    const { failures } = await a.provider.check(a.urn("huge"), {}, { title: "t".repeat(4.5 * 1024 * 1024) });
    assert.deepEqual(failures.map((f) => f.property), ["title"]);
    assert.ok(failures[0]!.reason.length < 1000, "the reason does not quote the value");
  });
});
