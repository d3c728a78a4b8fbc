/**
 * The fields of a key as the API shows them, in the order of the Cloud Agent API guide's
 * activation key samples (id, activationKey, status, ... suspendSelfPatch, ownerId), typed as their
 * XSD types them. The XML and JSON
 * renderers share this so the two formats can never disagree on content.
 */
import type { SimKey } from "./types";

/** A QList collection: `<name><list><item>...</item>...</list></name>`. */
interface KeyCollection {
  item: "ActivationKeyModule" | "Tag" | "AgentAsset";
  entries: Record<string, string | number>[];
}

type KeyFieldValue = string | number | boolean | KeyCollection;

export function isCollection(value: KeyFieldValue): value is KeyCollection {
  return typeof value === "object";
}

/**
 * Every field to show, in order; collections are always listed (possibly empty) so each renderer
 * applies its own rule for empty ones. `omitCollections` leaves them out (the Cloud Agent API
 * guide's update answer).
 */
export function keyView(key: SimKey, omitCollections = false): [string, KeyFieldValue][] {
  const fields: [string, KeyFieldValue][] = [
    ["id", key.id],
    ["activationKey", key.activationKey],
    ["status", key.status],
    ["countPurchased", key.countPurchased],
    ["countUsed", key.countUsed],
    ["datePurchased", key.datePurchased],
  ];
  if (key.dateLastUsed) fields.push(["dateLastUsed", key.dateLastUsed]);
  fields.push(["type", key.type]);
  if (key.expireDate) fields.push(["expireDate", key.expireDate]);
  if (key.title) fields.push(["title", key.title]);
  fields.push(["networkId", key.networkId], ["isDisabled", key.isDisabled]);
  // An action flag, never state (docs/qualys-api.md, "Fields and their behaviour").
  fields.push(["applyOnAgents", false]);
  if (!omitCollections) {
    fields.push(
      ["modules", { item: "ActivationKeyModule", entries: key.modules.map((license) => ({ license })) }],
      ["tags", { item: "Tag", entries: key.tags.map((tag) => ({ id: tag.id, name: tag.name })) }],
      ["agents", { item: "AgentAsset", entries: key.agents.map((agent) => ({ id: agent.id, uuid: agent.uuid, name: agent.name })) }],
    );
  }
  fields.push(["suspendSelfPatch", key.suspendSelfPatch]);
  if (key.ownerId !== undefined) fields.push(["ownerId", key.ownerId]);
  return fields;
}
