/**
 * Create: never a blind re-POST (create-or-adopt.ts). The create answer carries the whole key
 * (shared/docs/qualys-agentactkey-api.md, "Endpoints"), so a plain create needs no read-back; an
 * existing key (adopted, or committed by an attempt whose answer was lost) becomes the declared
 * key by a full update, then a read-back.
 */
import type { LifecycleContext } from "./context";
import { createOrAdopt } from "./create-or-adopt";
import { inputsToWrite } from "./normalize";
import type { ActivationKeyInputs, ActivationKeyOutputs } from "./properties";
import { settle } from "./settle";

export async function createKey(ctx: LifecycleContext, desired: ActivationKeyInputs): Promise<{ id: string; outputs: ActivationKeyOutputs }> {
  const write = inputsToWrite(desired);
  const { key, adopted } = await createOrAdopt(ctx.api, write, { adopt: desired.adopt });
  if (!adopted) return { id: String(key.id), outputs: settle(ctx, key, desired) };
  await ctx.api.update(key.id, write);
  return { id: String(key.id), outputs: settle(ctx, await ctx.api.get(key.id), desired) };
}
