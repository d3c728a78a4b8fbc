/**
 * XML or JSON: QPS answers in JSON when the request asks for it with `Accept: application/json`
 * (Qualys' own tooling does: docs/qualys-api.md, "JSON answers, as Qualys' own tooling uses them")
 * and in XML otherwise; `*\/*` and a missing Accept get XML, as the Cloud Agent API guide's curl
 * samples do. Request bodies are read as JSON when
 * `Content-Type` says `application/json`.
 */
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { renderJson } from "./json-responses";
import type { ServiceResponseModel } from "./service-response";
import type { SimulatorOptions } from "./types";
import { renderXml } from "./xml-responses";

type WireFormat = "xml" | "json";

/** How one call's answers are written. */
export interface AnswerStyle {
  format: WireFormat;
  schemaLocation: SimulatorOptions["schemaLocation"];
}

/** The q value an Accept header gives `mediaTypes` (the highest listed), 0 when none is listed. */
function quality(accept: string, mediaTypes: readonly string[]): number {
  let best = 0;
  for (const range of accept.split(",")) {
    const [type = "", ...parameters] = range.split(";").map((part) => part.trim().toLowerCase());
    if (!mediaTypes.includes(type)) continue;
    const q = parameters.find((parameter) => parameter.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isFinite(value)) best = Math.max(best, value);
  }
  return best;
}

/** JSON only when asked for more strongly than XML; XML stays the default. */
export function answerFormat(accept: string | undefined): WireFormat {
  if (!accept) return "xml";
  return quality(accept, ["application/json"]) > quality(accept, ["application/xml", "text/xml"]) ? "json" : "xml";
}

/** Whether the request body is JSON (`application/json`, any parameters). */
export function isJsonBody(headers: IncomingHttpHeaders): boolean {
  return (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

export function sendServiceResponse(
  response: ServerResponse,
  status: number,
  model: ServiceResponseModel,
  style: AnswerStyle,
  headers: Record<string, string> = {},
): void {
  const json = style.format === "json";
  response.writeHead(status, { ...headers, "Content-Type": json ? "application/json;charset=UTF-8" : "application/xml;charset=UTF-8" });
  response.end(json ? renderJson(model) : renderXml(model, style.schemaLocation));
}
