import { strict as assert } from "node:assert";
import { activationKeyProvider } from "../../provider/dynamic/provider-shim";
import { HostCallError } from "pulumi-qualys/testing";
import { serializedProvider } from "../../provider/testing/serialized-provider";
import { startTestStack, type TestStack } from "../harness/test-stack";

/**
 * Issue 10: a process reconfigured with another password kept using the client built for the old
 * one (its cache key omitted the credentials). Through the real host: configure, call,
 * reconfigure with another password, call — the simulator must see the new credentials.
 *
 * The host runs a provider's configure once per distinct `__provider` text (getProvider in
 * @pulumi/pulumi/cmd/dynamic-provider caches it), so a new ConfigureRequest reaches our runtime when
 * the process next loads a text it has not seen, e.g. keys written by another release of this
 * package. Both texts load the one runtime by package name, which must then honour the new settings.
 */
describe("reconfiguring the provider process with another password", function () {
  this.timeout(60_000);
  let stack: TestStack;
  afterEach(() => stack?.close());

  it("sends the new password on the next call, not the one the first client was built with", async () => {
    stack = await startTestStack({ configure: false });
    const { host, sim } = stack;
    const urn = stack.urn("rotated");

    await host.configure({ ...stack.config, "qualys:password": `rotated-away-${process.pid}` });
    const first = await host.check(urn, {}, stack.inputs({ title: "rotated" }));
    await assert.rejects(host.create(urn, first.inputs), (e: unknown) => e instanceof HostCallError && /401|credentials|authenticat/i.test(e.details));
    assert.ok(sim.admin.requestLog().every((e) => e.user === undefined), "the stale password authenticated nothing");

    sim.admin.resetLog();
    await host.configure(stack.config);
    const otherRelease = await serializedProvider({ ...activationKeyProvider, release: "another" });
    const second = await host.check(urn, {}, { title: "rotated", __provider: otherRelease });
    const created = await host.create(urn, second.inputs);
    assert.equal(sim.admin.getKey(Number(created.id))?.title, "rotated");
    assert.deepEqual(
      sim.admin.requestLog().map((e) => [e.operation, e.statusCode, e.user]),
      [["create", 200, "admin"]],
      "the simulator saw the new credentials on the first call after reconfiguring",
    );
  });
});
