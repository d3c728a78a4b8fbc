/**
 * A QPS `ServiceResponse` before it is written out: handlers build one of these, and the request
 * pipeline renders it as XML (the default) or JSON (`Accept: application/json`, response-format.ts).
 */
import type { SimKey } from "./types";

/** One key of a SUCCESS answer. */
export interface AnsweredKey {
  key: SimKey;
  /**
   * The Cloud Agent API guide's update answer has no modules/tags even though the request set them.
   */
  omitCollections?: boolean;
}

export type ServiceResponseModel =
  | { kind: "keys"; keys: AnsweredKey[]; search?: { hasMoreRecords: boolean; lastId?: number } }
  /**
   * A delete answers SUCCESS, count 1, data `AgentActKey{id}` only (docs/qualys-api.md, "Confirmed
   * answers").
   */
  | { kind: "deleted"; id: number }
  /**
   * Change Activation Key accepted: SUCCESS and how many agents moved. Qualys does not document this
   * answer's shape (ca/api/keys/change_activation_key.htm), so clients must not read more into it.
   */
  | { kind: "agents-moved"; count: number }
  | { kind: "error"; responseCode: string; errorMessage: string; errorResolution: string };

export function errorResponse(responseCode: string, errorMessage: string, errorResolution: string): ServiceResponseModel {
  return { kind: "error", responseCode, errorMessage, errorResolution };
}

/** The responseCode the model stands for, for the request log. */
export function responseCodeOf(model: ServiceResponseModel): string {
  return model.kind === "error" ? model.responseCode : "SUCCESS";
}
