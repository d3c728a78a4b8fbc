/**
 * Read (refresh, and import): the key as Qualys holds it, served by the bulk reader. `state` is
 * what the engine saved (undefined on `pulumi import`, which reads with no saved state); it
 * supplies what Qualys never returns (`applyOnAgents`, an action flag, and our own `adopt` and
 * `successorKeyId`).
 * The returned inputs are the declared subset of the outputs, so an imported key's generated code
 * reproduces it and the next `up` shows no change.
 */
import type { LifecycleContext, PropertyBag } from "./context";
import { parseKeyId } from "./key-id";
import { keyToOutputs, providerOnlyInputsOf } from "./normalize";
import { DECLARED_FIELDS, type ActivationKeyOutputs } from "./properties";
import { rotationTitle } from "./rotate";
import type { AgentActKey } from "../qualys/types";

interface ReadResult {
  id: string;
  outputs: ActivationKeyOutputs;
  inputs: PropertyBag;
}

/**
 * `undefined` only when Qualys definitely said the key does not exist (refresh then drops it from
 * state). Anything else — an answer without the key, another key, an unreadable one, an id that
 * is not a Qualys id — throws, so a live key is never dropped from state by a bad answer.
 */
export async function readKey(ctx: LifecycleContext, id: string, state: PropertyBag | undefined): Promise<ReadResult | undefined> {
  const key = await ctx.reader.read(parseKeyId(id, "get"));
  if (!key) return undefined;
  const outputs = keyToOutputs(key, providerOnlyInputsOf(state));
  const declaredTitle = rotatedOutFrom(key, state);
  if (declaredTitle !== undefined) {
    // Renamed by a rotation that has not ended (rotate.ts): the title it carries is the rotation's,
    // not drift, and the delete that ends the rotation finds the new key by the declared title.
    outputs.title = declaredTitle;
    ctx.log.warn(
      `Rotation of key "${declaredTitle}" pending: the old key ${id} still exists with ${key.countUsed ?? 0} agent(s); the next ` +
        `\`pulumi up\` moves them to the key now titled "${declaredTitle}" and deletes the old key.`,
    );
  }
  return { id, outputs, inputs: declaredInputsOf(outputs) };
}

/** The declared title of a key in rotation that carries its rotation title, else undefined. */
function rotatedOutFrom(key: AgentActKey, state: PropertyBag | undefined): string | undefined {
  const title = state?.title;
  if (typeof state?.rotationTrigger !== "string" || typeof title !== "string") return undefined;
  return key.title === rotationTitle(title, key.id) ? title : undefined;
}

function declaredInputsOf(outputs: ActivationKeyOutputs): PropertyBag {
  const inputs: PropertyBag = { applyOnAgents: outputs.applyOnAgents, adopt: outputs.adopt };
  if (outputs.successorKeyId !== undefined) inputs.successorKeyId = outputs.successorKeyId;
  if (outputs.rotationTrigger !== undefined) inputs.rotationTrigger = outputs.rotationTrigger;
  for (const field of DECLARED_FIELDS) if (outputs[field] !== undefined) inputs[field] = outputs[field];
  return inputs;
}
