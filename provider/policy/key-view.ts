/**
 * An activation key as the policies read it, whichever front door declared it: the dynamic
 * resource `qualys.ActivationKey` or the plugin's `qualys:index:ActivationKey`. Property names come
 * from the one property definition (provider/activation-key/properties.ts), so the policies never
 * spell a name the provider does not have.
 */
import { ACTIVATION_KEY_PROPERTIES, TYPE_TOKENS, type PropertyName } from "../activation-key/properties";
import type { KeyView } from "./types";

/** Each property's name from the definition: `PROPERTY.ownerId` is "ownerId", and a name it lacks does not compile. */
export const PROPERTY = Object.fromEntries(Object.keys(ACTIVATION_KEY_PROPERTIES).map((name) => [name, name])) as { readonly [K in PropertyName]: K };

/** The type tokens of an activation key at both front doors. */
export const KEY_TYPE_TOKENS: readonly string[] = Object.values(TYPE_TOKENS);

/** Whether a resource of this type is an activation key (a provider resource or anything else is not). */
export function isActivationKey(type: string): boolean {
  return KEY_TYPE_TOKENS.includes(type);
}

/**
 * A view of a key's properties. `props` is what @pulumi/policy hands a policy: secrets already
 * unwrapped, and a proxy that stops the policy when it reads a value unknown during preview. The
 * dynamic resource's `__provider` (its serialized code) is never read.
 */
export function keyView(urn: string, props: Record<string, unknown>): KeyView {
  const parts = urn.split("::");
  return {
    urn,
    name: parts[parts.length - 1] ?? urn,
    stack: (parts[0] ?? "").replace(/^urn:pulumi:/, ""),
    get: (property) => (props[property] ?? undefined) as never,
  };
}
