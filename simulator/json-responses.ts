/**
 * Renders a ServiceResponseModel as the JSON QPS sends for `Accept: application/json`
 * (docs/qualys-api.md, "JSON answers, as Qualys' own tooling uses them"):
 * `{"ServiceResponse": {"responseCode", "count", "hasMoreRecords": "false", "data": [{"AgentActKey": {...}}]}}`.
 * `hasMoreRecords` stays a string: that tooling compares it to `'false'`, and a JSON boolean would
 * make it loop forever. Numbers and booleans keep the XSD's types.
 */
import { isCollection, keyView } from "./key-view";
import type { AnsweredKey, ServiceResponseModel } from "./service-response";

function keyObject({ key, omitCollections }: AnsweredKey): Record<string, unknown> {
  const fields: [string, unknown][] = [];
  for (const [name, value] of keyView(key, omitCollections)) {
    if (!isCollection(value)) fields.push([name, value]);
    // Qualys' own migration script reads AgentActKey.modules.list and .tags.list of every key
    // without checking they exist, so those two are always sent (empty when the key has none);
    // agents only when there are some, as in XML.
    else if (value.entries.length > 0 || value.item !== "AgentAsset") {
      fields.push([name, { list: value.entries.map((entry) => ({ [value.item]: entry })) }]);
    }
  }
  return Object.fromEntries(fields);
}

export function renderJson(model: ServiceResponseModel): string {
  let body: Record<string, unknown>;
  switch (model.kind) {
    case "error":
      body = { responseCode: model.responseCode, responseErrorDetails: { errorMessage: model.errorMessage, errorResolution: model.errorResolution } };
      break;
    case "deleted":
      body = { responseCode: "SUCCESS", count: 1, data: [{ AgentActKey: { id: model.id } }] };
      break;
    case "agents-moved":
      body = { responseCode: "SUCCESS", count: model.count };
      break;
    case "keys":
      body = { responseCode: "SUCCESS", count: model.keys.length };
      if (model.search) {
        body["hasMoreRecords"] = String(model.search.hasMoreRecords);
        if (model.search.lastId !== undefined) body["lastId"] = model.search.lastId;
      }
      // A search with no match still carries `data: []`: that tooling extends its list with
      // ServiceResponse.data unconditionally. XML leaves empty data out, as the Cloud Agent API
      // guide's samples do.
      if (model.keys.length > 0 || model.search) body["data"] = model.keys.map((key) => ({ AgentActKey: keyObject(key) }));
      break;
  }
  return JSON.stringify({ ServiceResponse: body });
}
