import { strict as assert } from "node:assert";

/**
 * Polls (every 10 ms, up to `attempts` times) until `predicate` holds, then asserts it: providers
 * send their Log calls without awaiting them, so a line may trail the answer it belongs to.
 */
export async function eventually(predicate: () => boolean, what: string, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(predicate(), what);
}
