/**
 * `qualys.ActivationKey`: a Qualys Cloud Agent activation key managed by Pulumi, as a dynamic
 * resource (TypeScript/JavaScript programs). Type token `pulumi-nodejs:dynamic/qualys:ActivationKey`,
 * so URNs read well. Its inputs and outputs are generated from the one property definition
 * (activation-key-types.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { ACTIVATION_KEY_PROPERTIES, SECRET_OUTPUTS } from "../activation-key/properties";
import type { ActivationKeyArgs, ActivationKeyOutputProperties } from "./activation-key-types";
import { activationKeyProvider } from "./provider-shim";
import { warnUnknownStackSettings } from "./unknown-settings";

export type { ActivationKeyArgs };

/**
 * Every output, seeded as undefined: the SDK creates a resource's Output properties only for the
 * keys present in its props (docs/pulumi-dynamic-providers.md, rule 5). Without the seed,
 * `key.ownerId` of a key declared without ownerId, and every input output of `ActivationKey.get`,
 * would be plain `undefined` instead of an Output. Undefined values are not sent to the engine,
 * so the seed changes neither the inputs nor the diff.
 */
const ALL_OUTPUTS = Object.fromEntries(Object.keys(ACTIVATION_KEY_PROPERTIES).map((name) => [name, undefined]));

/** The Output properties, declared by the generated interface (class and interface merge). */
export interface ActivationKey extends ActivationKeyOutputProperties {}

export class ActivationKey extends pulumi.dynamic.Resource {
  constructor(name: string, args: ActivationKeyArgs, opts?: pulumi.CustomResourceOptions) {
    warnUnknownStackSettings();
    super(
      activationKeyProvider,
      name,
      { ...ALL_OUTPUTS, ...args },
      // The host answers acceptSecrets=false, so the resource asks for its secret outputs itself.
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] },
      "qualys",
      "ActivationKey",
    );
  }

  /**
   * Reads an existing key by its Qualys id without managing it (no create, update or delete).
   * @param id the Qualys key id, e.g. "3617002"
   */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ActivationKey {
    return new ActivationKey(name, {} as ActivationKeyArgs, { ...opts, id });
  }
}
