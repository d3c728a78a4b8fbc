/**
 * The property bags the engine passes around for an ActivationKey: the inputs a program declares,
 * and the outputs stored in state. Everything `read` and `delete` need is in the outputs
 * (shared/docs/pulumi-dynamic-providers.md, rule 4), because they run with state alone.
 */
import type { ActivationKeyType } from "../qualys/types";

/** Checked inputs, as `check` returns them (normalised: modules sorted, dates full ISO). */
export interface ActivationKeyInputs {
  title: string;
  type: ActivationKeyType;
  countPurchased?: number;
  expireDate?: string;
  ownerId?: number;
  modules: string[];
  tagIds: number[];
  networkId?: number;
  isDisabled: boolean;
  applyOnAgents: boolean;
  suspendSelfPatch: boolean;
  adopt: boolean;
}

/** What the server holds, as the comparable subset of the inputs plus read-only fields. */
export interface ActivationKeyOutputs extends ActivationKeyInputs {
  /** The enrolment secret agents install with; marked secret with additionalSecretOutputs. */
  activationKey?: string;
  status?: string;
  countUsed?: number;
  datePurchased?: string;
  dateLastUsed?: string;
}

/** The resource type token (dynamic.Resource with module "qualys" and type "ActivationKey"). */
export const ACTIVATION_KEY_TYPE_TOKEN = "pulumi-nodejs:dynamic/qualys:ActivationKey";

/** The string the engine sends for a value not known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Fields a user declares, in the order they are compared and reported. */
export const DECLARED_FIELDS = [
  "title",
  "type",
  "countPurchased",
  "expireDate",
  "ownerId",
  "modules",
  "tagIds",
  "networkId",
  "isDisabled",
  "suspendSelfPatch",
] as const satisfies readonly (keyof ActivationKeyInputs)[];

export type DeclaredField = (typeof DECLARED_FIELDS)[number];
