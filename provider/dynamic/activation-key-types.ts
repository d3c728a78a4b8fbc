// Generated from provider/activation-key/properties.ts by `npm run generate`. Do not edit.
import type * as pulumi from "@pulumi/pulumi";

/** Inputs of an ActivationKey. Every field updates the key in place; only a change of rotationTrigger replaces it (a rotation). */
export interface ActivationKeyArgs {
  /** Unique title of the key in the subscription (Qualys refuses a duplicate). Updated in place. Leading and trailing whitespace is dropped, as Qualys drops it; control characters XML cannot carry are refused. */
  title: pulumi.Input<string>;
  /** `UNLIMITED` (default), `COUNT_LIMITED`, `TIME_LIMITED` or `COUNT_TIME_LIMITED`, in any case (stored upper case). */
  type?: pulumi.Input<"UNLIMITED" | "COUNT_LIMITED" | "TIME_LIMITED" | "COUNT_TIME_LIMITED" | Lowercase<"UNLIMITED" | "COUNT_LIMITED" | "TIME_LIMITED" | "COUNT_TIME_LIMITED">>;
  /** Agents the key may activate; required by `COUNT_*` types (at least 1), refused by the others. */
  countPurchased?: pulumi.Input<number>;
  /** UTC expiry, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`, in the future when set or changed; required by `TIME_*` types, refused by the others. Once the deployed date passes, the key only earns a warning. */
  expireDate?: pulumi.Input<string>;
  /** Qualys user id that receives the remediation tickets of this key's agents. Unmanaged when omitted. */
  ownerId?: pulumi.Input<number>;
  /** Licensed modules, e.g. `VM_LICENSE`, `PC_LICENSE`; order and case do not matter. Unknown names are sent with a warning; modules the subscription does not license fail the write (`QUALYS_MODULES_NOT_LICENSED`). */
  modules?: pulumi.Input<pulumi.Input<string>[]>;
  /** Ids of static tags to apply to the key's agents; order does not matter. */
  tagIds?: pulumi.Input<pulumi.Input<number>[]>;
  /** Network id (0 = the default network). Unmanaged when omitted. */
  networkId?: pulumi.Input<number>;
  /** Disable the key: no new agent can activate with it. Default false. */
  isDisabled?: pulumi.Input<boolean>;
  /** Action flag: also push this key's tags, licenses and limits to agents already installed with it. Default false. */
  applyOnAgents?: pulumi.Input<boolean>;
  /** Suspend self-patching of agents activated with this key. Default false. */
  suspendSelfPatch?: pulumi.Input<boolean>;
  /** Take over an existing key with the same title on create, then update it to this declaration, instead of failing on the duplicate title. Default false. */
  adopt?: pulumi.Input<boolean>;
  /** Id of the key that takes over this key's agents when this key is deleted (removed from the program, or `pulumi destroy`): the agents are moved there (Qualys' Change Activation Key), then this key is deleted. Another key's `id` output (which also makes the engine delete this key first) or a literal id, from this stack or another. Changing it alone calls no Qualys API. Without it, deleting a key that agents still use fails with QUALYS_KEY_IN_USE. */
  successorKeyId?: pulumi.Input<number>;
  /** Any text; changing it rotates the key: a new key with a new `activationKey` is created under the same title (the old one is renamed `<title> (rotated out, key <id>)` first, and keeps working meanwhile), the old key's agents are moved to it, then the old key is deleted, in one `pulumi up`. Setting it for the first time, or removing it, rotates nothing. Change it in a run that keeps the title. */
  rotationTrigger?: pulumi.Input<string>;
}

/** What an ActivationKey exposes: every input as Qualys holds it, plus what Qualys reports. */
export interface ActivationKeyOutputProperties {
  /** Unique title of the key in the subscription (Qualys refuses a duplicate). Updated in place. Leading and trailing whitespace is dropped, as Qualys drops it; control characters XML cannot carry are refused. */
  readonly title: pulumi.Output<string>;
  /** `UNLIMITED` (default), `COUNT_LIMITED`, `TIME_LIMITED` or `COUNT_TIME_LIMITED`, in any case (stored upper case). */
  readonly type: pulumi.Output<"UNLIMITED" | "COUNT_LIMITED" | "TIME_LIMITED" | "COUNT_TIME_LIMITED">;
  /** Agents the key may activate; required by `COUNT_*` types (at least 1), refused by the others. */
  readonly countPurchased: pulumi.Output<number | undefined>;
  /** UTC expiry, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`, in the future when set or changed; required by `TIME_*` types, refused by the others. Once the deployed date passes, the key only earns a warning. */
  readonly expireDate: pulumi.Output<string | undefined>;
  /** Qualys user id that receives the remediation tickets of this key's agents. Unmanaged when omitted. */
  readonly ownerId: pulumi.Output<number | undefined>;
  /** Licensed modules, e.g. `VM_LICENSE`, `PC_LICENSE`; order and case do not matter. Unknown names are sent with a warning; modules the subscription does not license fail the write (`QUALYS_MODULES_NOT_LICENSED`). */
  readonly modules: pulumi.Output<string[]>;
  /** Ids of static tags to apply to the key's agents; order does not matter. */
  readonly tagIds: pulumi.Output<number[]>;
  /** Network id (0 = the default network). Unmanaged when omitted. */
  readonly networkId: pulumi.Output<number | undefined>;
  /** Disable the key: no new agent can activate with it. Default false. */
  readonly isDisabled: pulumi.Output<boolean>;
  /** Action flag: also push this key's tags, licenses and limits to agents already installed with it. Default false. */
  readonly applyOnAgents: pulumi.Output<boolean>;
  /** Suspend self-patching of agents activated with this key. Default false. */
  readonly suspendSelfPatch: pulumi.Output<boolean>;
  /** Take over an existing key with the same title on create, then update it to this declaration, instead of failing on the duplicate title. Default false. */
  readonly adopt: pulumi.Output<boolean>;
  /** Id of the key that takes over this key's agents when this key is deleted (removed from the program, or `pulumi destroy`): the agents are moved there (Qualys' Change Activation Key), then this key is deleted. Another key's `id` output (which also makes the engine delete this key first) or a literal id, from this stack or another. Changing it alone calls no Qualys API. Without it, deleting a key that agents still use fails with QUALYS_KEY_IN_USE. */
  readonly successorKeyId: pulumi.Output<number | undefined>;
  /** Any text; changing it rotates the key: a new key with a new `activationKey` is created under the same title (the old one is renamed `<title> (rotated out, key <id>)` first, and keeps working meanwhile), the old key's agents are moved to it, then the old key is deleted, in one `pulumi up`. Setting it for the first time, or removing it, rotates nothing. Change it in a run that keeps the title. */
  readonly rotationTrigger: pulumi.Output<string | undefined>;
  /** The enrolment secret agents install with. A Pulumi secret. */
  readonly activationKey: pulumi.Output<string>;
  /** `ACTIVE` or `INACTIVE`, as Qualys reports it. */
  readonly status: pulumi.Output<string>;
  /** Agents activated with the key so far. */
  readonly countUsed: pulumi.Output<number>;
  /** When the key was created (ISO 8601, UTC). */
  readonly datePurchased: pulumi.Output<string>;
  /** When an agent last activated with the key (ISO 8601, UTC); absent if never. */
  readonly dateLastUsed: pulumi.Output<string | undefined>;
  /** Whether the key's expireDate has passed (no new agent can activate with it), as of its last read; set for `TIME_*` types. */
  readonly expired: pulumi.Output<boolean | undefined>;
}
