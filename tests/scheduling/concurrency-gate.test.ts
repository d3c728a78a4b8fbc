import { strict as assert } from "node:assert";
import { ConcurrencyGate } from "../../provider/scheduling/concurrency-gate";

/** Lets every settled promise callback run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("concurrency gate", () => {
  it("admits waiters first in, first out", async () => {
    const gate = new ConcurrencyGate(1);
    const admitted: string[] = [];
    const releaseA = await gate.acquire();
    const waiters = ["b", "c", "d"].map((label) => gate.acquire().then((release) => (admitted.push(label), release)));
    await flush();
    assert.deepEqual(admitted, [], "nobody passes while the only slot is taken");
    releaseA();
    (await waiters[0]!)();
    (await waiters[1]!)();
    (await waiters[2]!)();
    assert.deepEqual(admitted, ["b", "c", "d"]);
  });

  it("a newcomer never overtakes a queued call, even when a slot is free at that moment", async () => {
    const gate = new ConcurrencyGate(1);
    const order: string[] = [];
    const releaseA = await gate.acquire();
    const b = gate.acquire().then((release) => (order.push("b"), release));
    releaseA();
    const c = gate.acquire().then((release) => (order.push("c"), release));
    (await b)();
    (await c)();
    assert.deepEqual(order, ["b", "c"]);
  });

  it("raising the limit admits that many waiters at once", async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire();
    let admitted = 0;
    for (let i = 0; i < 4; i++) void gate.acquire().then(() => admitted++);
    await flush();
    assert.equal(admitted, 0);
    gate.setLimit(3);
    await flush();
    assert.equal(admitted, 2, "3 slots, 1 already taken");
  });

  it("lowering the limit lets calls in flight finish and admits again only below the new limit", async () => {
    const gate = new ConcurrencyGate(3);
    const inFlight = [await gate.acquire(), await gate.acquire(), await gate.acquire()];
    let admitted = 0;
    void gate.acquire().then(() => admitted++);
    gate.setLimit(1);
    inFlight[0]!();
    await flush();
    assert.equal(admitted, 0, "2 still running, limit 1");
    inFlight[1]!();
    await flush();
    assert.equal(admitted, 0, "1 still running, limit 1");
    inFlight[2]!();
    await flush();
    assert.equal(admitted, 1);
    assert.equal(gate.currentLimit, 1);
  });

  it("counts a double release once and never goes below one slot", async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.acquire();
    release();
    release();
    const first = await gate.acquire();
    let second = false;
    void gate.acquire().then(() => (second = true));
    await flush();
    assert.equal(second, false, "a double release did not create a second slot");
    first();
    gate.setLimit(0);
    assert.equal(gate.currentLimit, 1);
  });
});
