/**
 * Delete: a key that is already gone (deleted in the UI, or by an attempt whose answer was lost)
 * counts as deleted. The bulk reader learns of the delete from the write journal (write-journal.ts):
 * a later read asks the server instead of answering from data taken before it.
 *
 * A key with agents (Qualys refuses its delete) is retired onto the key its saved `successorKeyId`
 * names (retire.ts). When the state already counts agents, the move comes first: the delete would
 * only be refused, and a fleet retirement costs two calls per key instead of three. Without a
 * successor the refusal names the input to set.
 */
import { QualysKeyInUseError } from "../qualys/errors";
import type { LifecycleContext, PropertyBag } from "./context";
import { deleteIfPresent, needsSuccessor, retireKey, type RetiringKey } from "./retire";

/** `state`: the key's saved outputs, which the engine passes to every delete. */
export async function deleteKey(ctx: LifecycleContext, id: string, state: PropertyBag = {}): Promise<void> {
  const key: RetiringKey = { id: Number(id) };
  if (typeof state.activationKey === "string") key.activationKey = state.activationKey;
  const successorId = typeof state.successorKeyId === "number" ? state.successorKeyId : undefined;
  const countUsed = typeof state.countUsed === "number" ? state.countUsed : 0;
  if (successorId !== undefined && countUsed > 0) return retireKey(ctx, key, successorId);
  try {
    await deleteIfPresent(ctx, key.id);
  } catch (error) {
    if (!(error instanceof QualysKeyInUseError)) throw error;
    if (successorId === undefined) throw needsSuccessor(error, countUsed);
    await retireKey(ctx, key, successorId);
  }
}
