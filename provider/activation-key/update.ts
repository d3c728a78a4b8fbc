/**
 * Update sends the full desired state (`type` is mandatory on update: qualys-agentactkey-api.md),
 * then reads the key back: the update answer omits modules (seed sample), and only the read-back
 * shows whether Qualys dropped an unlicensed one.
 */
import type { LifecycleContext } from "./context";
import { inputsToWrite } from "./normalize";
import type { ActivationKeyInputs, ActivationKeyOutputs } from "./properties";
import { settle } from "./settle";

export async function updateKey(ctx: LifecycleContext, id: string, desired: ActivationKeyInputs): Promise<ActivationKeyOutputs> {
  await ctx.api.update(Number(id), inputsToWrite(desired));
  return settle(ctx, await ctx.api.get(Number(id)), desired);
}
