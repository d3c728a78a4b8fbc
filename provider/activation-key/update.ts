/**
 * Update sends the full desired state (`type` is mandatory on update: docs/qualys-api.md), then
 * reads the key back: the update answer omits modules (the Cloud Agent API guide's update sample),
 * and only the read-back shows whether Qualys dropped an unlicensed one. The read-backs of
 * concurrent updates share one search (read-back-batcher.ts), so a fleet-wide change costs about
 * one call per key.
 */
import type { LifecycleContext } from "./context";
import { inputsToWrite } from "./normalize";
import type { ActivationKeyInputs, ActivationKeyOutputs } from "./properties";
import { settle } from "./settle";

export async function updateKey(ctx: LifecycleContext, id: string, desired: ActivationKeyInputs): Promise<ActivationKeyOutputs> {
  return writeAndReadBack(ctx, Number(id), desired);
}

/** Writes the declared state over the existing key `id` and returns it as Qualys then holds it. */
export async function writeAndReadBack(ctx: LifecycleContext, id: number, desired: ActivationKeyInputs): Promise<ActivationKeyOutputs> {
  const write = inputsToWrite(desired);
  await ctx.api.update(id, write);
  return settle(await ctx.reader.readAfterWrite(id, write.isDisabled === true), desired);
}
