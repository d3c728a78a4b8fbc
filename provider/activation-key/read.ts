/**
 * Read (refresh, and import): the key as Qualys holds it, served by the bulk reader. `state` is
 * what the engine saved (undefined on `pulumi import`, which reads with no saved state); it
 * supplies what Qualys never returns (`applyOnAgents`, an action flag, and our own `adopt`).
 * The returned inputs are the declared subset of the outputs, so an imported key's generated code
 * reproduces it and the next `up` shows no change.
 */
import type { LifecycleContext, PropertyBag } from "./context";
import { keyToOutputs } from "./normalize";
import { DECLARED_FIELDS, type ActivationKeyOutputs } from "./properties";

export interface ReadResult {
  id: string;
  outputs: ActivationKeyOutputs;
  inputs: PropertyBag;
}

/** `undefined` when Qualys says the key does not exist (refresh then drops it from state). */
export async function readKey(ctx: LifecycleContext, id: string, state: PropertyBag | undefined): Promise<ReadResult | undefined> {
  const key = await ctx.reader.read(Number(id));
  if (!key) return undefined;
  const outputs = keyToOutputs(key, { applyOnAgents: state?.applyOnAgents === true, adopt: state?.adopt === true });
  return { id, outputs, inputs: declaredInputsOf(outputs) };
}

function declaredInputsOf(outputs: ActivationKeyOutputs): PropertyBag {
  const inputs: PropertyBag = { applyOnAgents: outputs.applyOnAgents, adopt: outputs.adopt };
  for (const field of DECLARED_FIELDS) if (outputs[field] !== undefined) inputs[field] = outputs[field];
  return inputs;
}
