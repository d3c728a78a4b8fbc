/**
 * A port on 127.0.0.1 where connecting never completes: a listener whose accept queue is full.
 * Linux drops a SYN to a listener with a full queue, so the client's socket stays in the connect
 * phase (re-sending its SYN) instead of being refused — what a firewall that drops packets does,
 * without leaving the machine. The listener lives in a worker thread whose event loop is blocked,
 * so nothing accepts; a few filler connections fill its backlog of 1.
 */
import { connect, type Socket } from "node:net";
import { Worker } from "node:worker_threads";

export interface FullBacklogListener {
  port: number;
  close(): Promise<void>;
}

// The worker listens, reports its port, then blocks its event loop until released (flag[0] = 1).
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const server = require("node:net").createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  const flag = new Int32Array(workerData);
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 100);
  server.close();
});
`;

export async function startFullBacklogListener(): Promise<FullBacklogListener> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, { eval: true, workerData: flag.buffer });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    await worker.terminate();
  };
  // Connections the kernel completes on its own, until one is left waiting: the queue is full.
  for (;;) {
    const filler = connect(port, "127.0.0.1");
    filler.on("error", () => undefined);
    fillers.push(filler);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      filler.once("connect", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) return { port, close };
    if (fillers.length > 16) {
      await close();
      throw new Error("the listener kept accepting connections: its accept queue never filled");
    }
  }
}
