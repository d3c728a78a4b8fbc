/**
 * Renders a ServiceResponseModel as XML the way the Cloud Agent API guide's activation key samples
 * show it (tests/fixtures/README.md): same root attributes, same element order,
 * empty collections omitted.
 */
import { Builder } from "xml2js";
import { isCollection, keyView } from "./key-view";
import type { AnsweredKey, ServiceResponseModel } from "./service-response";
import type { SimulatorOptions } from "./types";

/** Both are seen from the real API (docs/qualys-api.md, "Confirmed answers"). */
const SCHEMA_LOCATIONS: Record<NonNullable<SimulatorOptions["schemaLocation"]>, string> = {
  "portal-api": "http://qualysapi.qualys.com/portal-api/xsd/1.0/ca/agentactkey.xsd",
  qps: "http://qualysapi.qualys.com/qps/xsd/1.0/ca/agentactkey.xsd",
};

const builder = new Builder({
  xmldec: { version: "1.0", encoding: "UTF-8" },
  renderOpts: { pretty: true, indent: "    ", newline: "\n" },
});

function keyElement({ key, omitCollections }: AnsweredKey): Record<string, unknown> {
  const element: Record<string, unknown> = {};
  for (const [name, value] of keyView(key, omitCollections)) {
    if (!isCollection(value)) element[name] = value;
    else if (value.entries.length > 0) element[name] = { list: { [value.item]: value.entries } };
  }
  return element;
}

export function renderXml(model: ServiceResponseModel, schemaLocation: SimulatorOptions["schemaLocation"] = "portal-api"): string {
  const body: Record<string, unknown> = {
    $: { "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "xsi:noNamespaceSchemaLocation": SCHEMA_LOCATIONS[schemaLocation] },
  };
  switch (model.kind) {
    case "error":
      body["responseCode"] = model.responseCode;
      body["responseErrorDetails"] = { errorMessage: model.errorMessage, errorResolution: model.errorResolution };
      break;
    case "deleted":
      Object.assign(body, { responseCode: "SUCCESS", count: 1, data: { AgentActKey: { id: model.id } } });
      break;
    case "agents-moved":
      Object.assign(body, { responseCode: "SUCCESS", count: model.count });
      break;
    case "keys":
      body["responseCode"] = "SUCCESS";
      body["count"] = model.keys.length;
      if (model.search) {
        body["hasMoreRecords"] = String(model.search.hasMoreRecords);
        if (model.search.lastId !== undefined) body["lastId"] = model.search.lastId;
      }
      if (model.keys.length > 0) body["data"] = { AgentActKey: model.keys.map(keyElement) };
      break;
  }
  return builder.buildObject({ ServiceResponse: body });
}
