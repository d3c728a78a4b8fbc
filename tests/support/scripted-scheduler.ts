/**
 * A RequestScheduler whose calls wait in a queue until the test lets them go — in any order, and
 * with the answer held back if the test wants — so a test decides exactly which call reaches the
 * server (a real simulator) before which other. The attempts are the client's real ones.
 */
import type { QualysOperation, RequestScheduler, ScheduledCall } from "../../provider/qualys/types";

export interface QueuedCall {
  operation: QualysOperation;
  subject?: string;
  /** Sends the request and waits for the server's answer, without handing it to the caller yet. */
  send(): Promise<void>;
  /** Hands the answer (or error) of `send` to the caller. */
  deliver(): void;
}

export class ScriptedScheduler implements RequestScheduler {
  private readonly queue: QueuedCall[] = [];
  /** Operations in the order they were sent. */
  readonly sent: QualysOperation[] = [];

  run<T>(call: ScheduledCall<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      this.queue.push({
        operation: call.operation,
        subject: call.subject,
        send: async () => {
          this.sent.push(call.operation);
          try {
            outcome = { ok: true, value: await call.attempt(() => undefined) };
          } catch (error) {
            outcome = { ok: false, error };
          }
        },
        deliver: () => {
          if (!outcome) throw new Error(`deliver() before send() for ${call.operation} ${call.subject ?? ""}`);
          if (outcome.ok) resolve(outcome.value);
          else reject(outcome.error);
        },
      });
    });
  }

  /** Calls waiting to be sent, in the order they were queued. */
  get waiting(): readonly QueuedCall[] {
    return this.queue;
  }

  /**
   * Takes the first queued call of `operation` (any when omitted), waiting turns of the event loop
   * until one is queued; fails after `maxTurns` turns so a test that expects a call never hangs.
   */
  async take(operation?: QualysOperation, maxTurns = 200): Promise<QueuedCall> {
    for (let turn = 0; turn < maxTurns; turn++) {
      const index = this.queue.findIndex((q) => operation === undefined || q.operation === operation);
      if (index >= 0) return this.queue.splice(index, 1)[0]!;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`no ${operation ?? ""} call was queued; waiting: ${this.queue.map((q) => q.operation).join(", ") || "none"}`);
  }

  /** Takes, sends and delivers the next call of `operation`. */
  async pass(operation?: QualysOperation): Promise<QueuedCall> {
    const call = await this.take(operation);
    await call.send();
    call.deliver();
    return call;
  }

  /**
   * Sends every queued call one at a time, first queued first (a concurrency limit of 1), until
   * `done` settles: what a real gate does, without timing.
   */
  async drain<T>(done: Promise<T>): Promise<T> {
    let finished = false;
    const result = done.finally(() => (finished = true));
    result.catch(() => undefined);
    while (!finished) {
      const next = this.queue.shift();
      if (next) {
        await next.send();
        next.deliver();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    return result;
  }
}
