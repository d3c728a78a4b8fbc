/**
 * Delete: a key that is already gone (deleted in the UI, or by an attempt whose answer was lost)
 * counts as deleted. The bulk reader learns of the delete from the write journal (write-journal.ts):
 * a later read asks the server instead of answering from data taken before it.
 *
 * A key whose saved state names a `successorKeyId` is retired onto that key (retire.ts): its agents
 * move first, then it is deleted. The move comes first even when the state counts no agent: agents
 * enrol long after a key is created and a state is rarely refreshed in between, so trying the
 * delete first would cost a refused call on nearly every key (3 calls a key instead of 2, measured
 * by `npm run bench`). The old key of a rotation is retired onto the key that took its title
 * (rotate.ts). Without a successor, a refusal names the input to set.
 */
import { QualysKeyInUseError } from "../qualys/errors";
import type { LifecycleContext, PropertyBag } from "./context";
import { deleteIfPresent, needsSuccessor, retireKey, type RetiringKey } from "./retire";
import { rotationSuccessorOf } from "./rotate";
import { parseKeyId } from "./key-id";

/** `state`: the key's saved outputs, which the engine passes to every delete. */
export async function deleteKey(ctx: LifecycleContext, id: string, state: PropertyBag = {}): Promise<void> {
  const key: RetiringKey = { id: parseKeyId(id, "delete") };
  if (typeof state.activationKey === "string") key.activationKey = state.activationKey;
  if (typeof state.successorKeyId === "number") return retireKey(ctx, key, state.successorKeyId);
  // The old key of a rotation: its agents go to the key that took its title (rotate.ts).
  const rotatedTo = await rotationSuccessorOf(ctx, key.id, state);
  if (rotatedTo !== undefined) return retireKey(ctx, key, rotatedTo);
  try {
    await deleteIfPresent(ctx, key.id);
  } catch (error) {
    if (!(error instanceof QualysKeyInUseError)) throw error;
    throw needsSuccessor(error, typeof state.countUsed === "number" ? state.countUsed : 0);
  }
}
