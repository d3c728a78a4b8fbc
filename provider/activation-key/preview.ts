/**
 * What a create or update will produce, as `pulumi preview` shows it, without calling Qualys: an
 * engine that knows the provider supports previews asks Create/Update with `preview: true`
 * (pulumi/pulumi sdk/go/common/resource/plugin/provider_plugin.go, Create/Update) and displays the
 * answer. Inputs are shown as they will be written; what only Qualys can tell (the enrolment
 * secret, the status of a new key) is unknown until `up`.
 */
import type { PropertyBag } from "./context";
import { ACTIVATION_KEY_PROPERTIES, UNKNOWN_VALUE, type PropertySpec } from "./properties";

/** The outputs of a key about to be created from the checked `inputs`. */
export function previewCreate(inputs: PropertyBag): PropertyBag {
  const outputs: PropertyBag = { ...inputs };
  for (const [name, spec] of Object.entries(ACTIVATION_KEY_PROPERTIES as Record<string, PropertySpec>)) {
    if (spec.role === "output" && spec.alwaysPresent) outputs[name] = UNKNOWN_VALUE;
  }
  return outputs;
}

/** The outputs of the key in state (`olds`) about to be updated to the checked `news`. */
export function previewUpdate(olds: PropertyBag, news: PropertyBag): PropertyBag {
  return { ...olds, ...news };
}
