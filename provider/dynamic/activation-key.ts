/**
 * `qualys.ActivationKey`: a Qualys Cloud Agent activation key managed by Pulumi.
 * Type token `pulumi-nodejs:dynamic/qualys:ActivationKey`, so URNs read well.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ActivationKeyType } from "../qualys/types";
import type { ActivationKeyOutputs } from "../activation-key/properties";
import { activationKeyProvider } from "./provider-shim";

/** Inputs of an ActivationKey. Every field updates the key in place; none forces a replacement. */
export interface ActivationKeyArgs {
  /** Unique title of the key in the subscription (Qualys refuses a duplicate). */
  title: pulumi.Input<string>;
  /** `UNLIMITED` (default), `COUNT_LIMITED`, `TIME_LIMITED` or `COUNT_TIME_LIMITED`. */
  type?: pulumi.Input<ActivationKeyType>;
  /** Agents the key may activate; required by `COUNT_*` types (≥ 1), refused by the others. */
  countPurchased?: pulumi.Input<number>;
  /** UTC expiry, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`, in the future; required by `TIME_*` types. */
  expireDate?: pulumi.Input<string>;
  /** Qualys user id that receives the remediation tickets of this key's agents. Unmanaged when omitted. */
  ownerId?: pulumi.Input<number>;
  /** Licensed modules, e.g. `["VM_LICENSE", "PC_LICENSE"]`; order and case do not matter. */
  modules?: pulumi.Input<pulumi.Input<string>[]>;
  /** Ids of static tags to apply to the key's agents; order does not matter. */
  tagIds?: pulumi.Input<pulumi.Input<number>[]>;
  /** Network id (0 = default network). Unmanaged when omitted. */
  networkId?: pulumi.Input<number>;
  /** Disable the key: no new agent can activate with it. Default false. */
  isDisabled?: pulumi.Input<boolean>;
  /** Action flag: also push this key's tags, licenses and limits to agents already installed with it. */
  applyOnAgents?: pulumi.Input<boolean>;
  /** Suspend self-patching of agents activated with this key. Default false. */
  suspendSelfPatch?: pulumi.Input<boolean>;
  /**
   * Take over an existing key with the same title on create, then update it to this declaration,
   * instead of failing on the duplicate title. For bringing existing keys under management
   * (`pulumi import` does not work for dynamic resources, pulumi/pulumi#16175).
   */
  adopt?: pulumi.Input<boolean>;
}

/**
 * Every output, seeded as undefined: the SDK creates a resource's Output properties only for the
 * keys present in its props (shared/docs/pulumi-dynamic-providers.md, rule 5). Without the seed,
 * `key.ownerId` of a key declared without ownerId, and every input output of `ActivationKey.get`,
 * would be plain `undefined` instead of an Output. Undefined values are not sent to the engine,
 * so the seed changes neither the inputs nor the diff. The Record type makes the compiler list
 * every output here.
 */
const ALL_OUTPUTS: Record<keyof ActivationKeyOutputs, undefined> = {
  title: undefined,
  type: undefined,
  countPurchased: undefined,
  expireDate: undefined,
  ownerId: undefined,
  modules: undefined,
  tagIds: undefined,
  networkId: undefined,
  isDisabled: undefined,
  applyOnAgents: undefined,
  suspendSelfPatch: undefined,
  adopt: undefined,
  activationKey: undefined,
  status: undefined,
  countUsed: undefined,
  datePurchased: undefined,
  dateLastUsed: undefined,
};

export class ActivationKey extends pulumi.dynamic.Resource {
  declare readonly title: pulumi.Output<string>;
  declare readonly type: pulumi.Output<ActivationKeyType>;
  declare readonly countPurchased: pulumi.Output<number | undefined>;
  declare readonly expireDate: pulumi.Output<string | undefined>;
  declare readonly ownerId: pulumi.Output<number | undefined>;
  declare readonly modules: pulumi.Output<string[]>;
  declare readonly tagIds: pulumi.Output<number[]>;
  declare readonly networkId: pulumi.Output<number | undefined>;
  declare readonly isDisabled: pulumi.Output<boolean>;
  declare readonly applyOnAgents: pulumi.Output<boolean>;
  declare readonly suspendSelfPatch: pulumi.Output<boolean>;
  declare readonly adopt: pulumi.Output<boolean>;
  /** The enrolment secret agents install with. A Pulumi secret. */
  declare readonly activationKey: pulumi.Output<string>;
  /** `ACTIVE` or `INACTIVE`. */
  declare readonly status: pulumi.Output<string>;
  /** Agents activated with the key so far. */
  declare readonly countUsed: pulumi.Output<number>;
  declare readonly datePurchased: pulumi.Output<string>;
  declare readonly dateLastUsed: pulumi.Output<string | undefined>;

  constructor(name: string, args: ActivationKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      activationKeyProvider,
      name,
      { ...ALL_OUTPUTS, ...args },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "activationKey"] },
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
