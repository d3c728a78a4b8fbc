/**
 * Update sends the full desired state (`type` is mandatory on update: docs/qualys-api.md), then
 * reads the key back: the update answer omits modules (the Cloud Agent API guide's update sample),
 * and only the read-back shows whether Qualys dropped an unlicensed one. The read-backs of
 * concurrent updates share one search (read-back-batcher.ts), so a fleet-wide change costs about
 * one call per key.
 *
 * An update that changes only state-only inputs (`successorKeyId`, `rotationTrigger` set for the
 * first time or removed: diff.ts) calls no Qualys API:
 * it returns the saved outputs with the new values, so naming a successor costs nothing.
 */
import type { LifecycleContext, PropertyBag } from "./context";
import { changedFields } from "./diff";
import { parseKeyId } from "./key-id";
import { inputsToWrite, providerOnlyInputsOf } from "./normalize";
import { ACTIVATION_KEY_PROPERTIES, type ActivationKeyInputs, type ActivationKeyOutputs } from "./properties";
import { settle } from "./settle";

/** `state`: the key's saved outputs, which the engine passes to every update. */
export async function updateKey(ctx: LifecycleContext, id: string, desired: ActivationKeyInputs, state?: PropertyBag): Promise<ActivationKeyOutputs> {
  const keyId = parseKeyId(id, "update");
  if (state && changedFields(desired as unknown as PropertyBag, state).length === 0) return withStateOnlyInputs(state, desired);
  return writeAndReadBack(ctx, keyId, desired);
}

/** Writes the declared state over the existing key `id` and returns it as Qualys then holds it. */
export async function writeAndReadBack(ctx: LifecycleContext, id: number, desired: ActivationKeyInputs): Promise<ActivationKeyOutputs> {
  const write = inputsToWrite(desired);
  await ctx.api.update(id, write);
  return settle(await ctx.reader.readAfterWrite(id, write.isDisabled === true), desired);
}

/** The saved outputs (properties of the resource only) with the declaration's provider-only inputs. */
function withStateOnlyInputs(state: PropertyBag, desired: ActivationKeyInputs): ActivationKeyOutputs {
  const outputs: PropertyBag = {};
  for (const name of Object.keys(ACTIVATION_KEY_PROPERTIES)) if (state[name] !== undefined) outputs[name] = state[name];
  delete outputs.successorKeyId;
  delete outputs.rotationTrigger;
  return { ...(outputs as unknown as ActivationKeyOutputs), ...providerOnlyInputsOf(desired as unknown as PropertyBag) };
}
