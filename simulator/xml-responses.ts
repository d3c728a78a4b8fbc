/**
 * Builds `ServiceResponse` XML the way the seed samples show it
 * (shared/seeds/ca-api-activation-key-owner.txt): same root attributes, same element order,
 * empty collections omitted.
 */
import { Builder } from "xml2js";
import type { SimKey } from "./types";

const ROOT_ATTRIBUTES = {
  "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
  "xsi:noNamespaceSchemaLocation": "http://qualysapi.qualys.com/portal-api/xsd/1.0/ca/agentactkey.xsd",
};

const builder = new Builder({
  xmldec: { version: "1.0", encoding: "UTF-8" },
  renderOpts: { pretty: true, indent: "    ", newline: "\n" },
});

/** Which collections a rendered key leaves out. */
export interface KeyRenderOptions {
  /** The seed's update response has no modules/tags even though the request set them. */
  omitCollections?: boolean;
}

export interface SuccessResponse {
  keys: { key: SimKey; render?: KeyRenderOptions }[];
  /** Search only: rendered as the string "true"/"false". */
  hasMoreRecords?: boolean;
  lastId?: number;
}

/** Element order follows the seed samples (id, activationKey, status, ... suspendSelfPatch, ownerId). */
function keyElement(key: SimKey, render: KeyRenderOptions = {}): Record<string, unknown> {
  const element: Record<string, unknown> = {
    id: key.id,
    activationKey: key.activationKey,
    status: key.status,
    countPurchased: key.countPurchased,
    countUsed: key.countUsed,
    datePurchased: key.datePurchased,
  };
  if (key.dateLastUsed) element["dateLastUsed"] = key.dateLastUsed;
  element["type"] = key.type;
  if (key.expireDate) element["expireDate"] = key.expireDate;
  if (key.title) element["title"] = key.title;
  element["networkId"] = key.networkId;
  element["isDisabled"] = key.isDisabled;
  // An action flag, never state (shared/docs/qualys-agentactkey-api.md, "Fields").
  element["applyOnAgents"] = false;
  if (!render.omitCollections && key.modules.length > 0) {
    element["modules"] = { list: { ActivationKeyModule: key.modules.map((license) => ({ license })) } };
  }
  if (!render.omitCollections && key.tags.length > 0) {
    element["tags"] = { list: { Tag: key.tags.map((tag) => ({ id: tag.id, name: tag.name })) } };
  }
  if (!render.omitCollections && key.agents.length > 0) {
    element["agents"] = { list: { AgentAsset: key.agents.map((agent) => ({ id: agent.id, uuid: agent.uuid, name: agent.name })) } };
  }
  element["suspendSelfPatch"] = key.suspendSelfPatch;
  if (key.ownerId !== undefined) element["ownerId"] = key.ownerId;
  return element;
}

/** A SUCCESS response carrying `keys`. */
export function successXml(response: SuccessResponse): string {
  const body: Record<string, unknown> = { $: ROOT_ATTRIBUTES, responseCode: "SUCCESS", count: response.keys.length };
  if (response.hasMoreRecords !== undefined) body["hasMoreRecords"] = String(response.hasMoreRecords);
  if (response.lastId !== undefined) body["lastId"] = response.lastId;
  if (response.keys.length > 0) {
    body["data"] = { AgentActKey: response.keys.map(({ key, render }) => keyElement(key, render)) };
  }
  return builder.buildObject({ ServiceResponse: body });
}

/** A delete answers with the id of the key it removed. */
export function deletedXml(id: number): string {
  return builder.buildObject({
    ServiceResponse: { $: ROOT_ATTRIBUTES, responseCode: "SUCCESS", count: 1, data: { AgentActKey: { id } } },
  });
}

/** An error response: Qualys sends these with HTTP 200 for most codes. */
export function errorXml(responseCode: string, errorMessage: string, errorResolution: string): string {
  return builder.buildObject({
    ServiceResponse: { $: ROOT_ATTRIBUTES, responseCode, responseErrorDetails: { errorMessage, errorResolution } },
  });
}
