/**
 * Create: never a blind re-POST (create-or-adopt.ts). The create answer carries the whole key
 * (docs/qualys-api.md, "Endpoints"), so a plain create needs no read-back.
 *
 * Adopting (`adopt: true`) looks for the title in the subscription's listing first, which the bulk
 * reader loads once per process: N adopted keys cost one listing, not a create bound to fail on
 * the duplicate title and a title search each. Only a title the listing lacks is created, through
 * create-or-adopt.ts with all its ambiguity handling.
 *
 * An existing key (adopted, or committed by an attempt whose answer was lost) becomes the declared
 * key by a full update and a read-back — unless it already is the declared key, which needs no
 * write at all. `applyOnAgents: true` always writes: it asks Qualys to push the key to its agents.
 */
import type { AgentActKey } from "../qualys/types";
import type { LifecycleContext } from "./context";
import { createOrAdopt } from "./create-or-adopt";
import { changedFields } from "./diff";
import { inputsToWrite, keyToOutputs } from "./normalize";
import { pendingRotationOf, renameRotatedOut } from "./rotate";
import type { ActivationKeyInputs, ActivationKeyOutputs } from "./properties";
import { settle } from "./settle";
import { writeAndReadBack } from "./update";

/**
 * @param claimant the resource's URN, when the adapter knows it: a key already claimed by another
 *   resource of this process is refused naming it (key-claims.ts).
 */
export async function createKey(ctx: LifecycleContext, desired: ActivationKeyInputs, claimant?: string): Promise<{ id: string; outputs: ActivationKeyOutputs }> {
  const rotation = pendingRotationOf(ctx, desired);
  if (!rotation) return createUnderTitle(ctx, desired, desired.adopt, claimant);
  // A rotation (rotate.ts): the old key leaves the title first; a key of another id found under the
  // title then is this rotation's new key from a run that died before the engine recorded it.
  await renameRotatedOut(ctx, desired.title, rotation.oldId);
  const created = await createUnderTitle(ctx, desired, true, claimant);
  ctx.rotations.delete(desired.title);
  return created;
}

/** Creates the declared key; with `adopt`, a key already holding the title is taken over instead. */
async function createUnderTitle(
  ctx: LifecycleContext,
  desired: ActivationKeyInputs,
  adopt: boolean,
  claimant: string | undefined,
): Promise<{ id: string; outputs: ActivationKeyOutputs }> {
  if (adopt) {
    const listed = await ctx.reader.findByTitle(desired.title);
    if (listed) {
      ctx.claims.claim(listed.id, desired.title, claimant);
      return { id: String(listed.id), outputs: await takeOver(ctx, listed, desired) };
    }
  }
  const { key, adopted } = await createOrAdopt(ctx.api, inputsToWrite(desired), { adopt });
  ctx.claims.claim(key.id, desired.title, claimant);
  if (adopted) return { id: String(key.id), outputs: await takeOver(ctx, key, desired) };
  ctx.reader.rememberCreated(key);
  return { id: String(key.id), outputs: settle(key, desired) };
}

/** An existing key, as read after our last write to it, made the declared key. */
async function takeOver(ctx: LifecycleContext, key: AgentActKey, desired: ActivationKeyInputs): Promise<ActivationKeyOutputs> {
  const asIs = keyToOutputs(key, desired);
  if (!desired.applyOnAgents && changedFields(desired as unknown as Record<string, unknown>, asIs as unknown as Record<string, unknown>).length === 0) {
    return settle(key, desired);
  }
  return writeAndReadBack(ctx, key.id, desired);
}
