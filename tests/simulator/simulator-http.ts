/**
 * Test helpers: real HTTP calls to a running simulator with node's fetch, and an xml2js reading of
 * the answer that is independent of the simulator's own XML code.
 */
import { parseStringPromise } from "xml2js";

export const ADMIN_BASIC = `Basic ${Buffer.from("admin:admin-password").toString("base64")}`;

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

export interface QpsAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** `ServiceResponse` with single values unwrapped (explicitArray false), undefined if not XML. */
  body?: ServiceResponseBody;
}

/** The parts of a ServiceResponse the tests read. Collections are normalised to arrays by `keysOf`. */
export interface ServiceResponseBody {
  responseCode: string;
  count?: string;
  hasMoreRecords?: string;
  lastId?: string;
  responseErrorDetails?: { errorMessage: string; errorResolution: string };
  data?: { AgentActKey: WireKey | WireKey[] };
}

export type WireKey = Record<string, unknown> & { id: string; title?: string };

export interface CallOptions {
  authorization?: string | null;
  headers?: Record<string, string>;
}

/** Calls `path` under `/qps/rest/1.0/` (GET without body, POST with one). */
export async function qps(baseUrl: string, path: string, body?: string, options: CallOptions = {}): Promise<QpsAnswer> {
  const headers: Record<string, string> = { "X-Requested-With": "pulumi-qualys-tests", "Content-Type": "text/xml", ...options.headers };
  const authorization = options.authorization === undefined ? ADMIN_BASIC : options.authorization;
  if (authorization !== null) headers["Authorization"] = authorization;
  const response = await fetch(`${baseUrl}/qps/rest/1.0/${path}`, { method: body === undefined ? "GET" : "POST", headers, body });
  const text = await response.text();
  let parsed: { ServiceResponse?: ServiceResponseBody } | undefined;
  try {
    parsed = text.startsWith("<?xml") ? await parseStringPromise(text, { explicitArray: false }) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed?.ServiceResponse };
}

/** The keys of a response's data, always as an array. */
export function keysOf(answer: QpsAnswer): WireKey[] {
  const keys = answer.body?.data?.AgentActKey;
  return keys === undefined ? [] : Array.isArray(keys) ? keys : [keys];
}

/** The one key of a create/get/update response. */
export function onlyKey(answer: QpsAnswer): WireKey {
  const keys = keysOf(answer);
  if (keys.length !== 1 || !keys[0]) throw new Error(`expected one key, got ${answer.text}`);
  return keys[0];
}

/** License names of a wire key's modules (explicitArray false: one module is an object). */
export function modulesOf(key: WireKey): string[] {
  const list = (key["modules"] as { list?: { ActivationKeyModule: unknown } } | undefined)?.list?.ActivationKeyModule;
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
  return items.map((item) => (item as { license: string }).license);
}

export function tagsOf(key: WireKey): { id: string; name: string }[] {
  const list = (key["tags"] as { list?: { Tag: unknown } } | undefined)?.list?.Tag;
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
  return items as { id: string; name: string }[];
}

/** A create body for a key with `title` and optional extra AgentActKey XML. */
export function createBody(title: string, extra = "<type>UNLIMITED</type>"): string {
  return `<ServiceRequest><data><AgentActKey><title>${title}</title>${extra}</AgentActKey></data></ServiceRequest>`;
}

/** The order of a wire key's elements, as sent. */
export function elementOrder(xml: string, keyIndex = 0): string[] {
  const block = xml.split("<AgentActKey>")[keyIndex + 1]?.split("</AgentActKey>")[0] ?? "";
  const names: string[] = [];
  let depth = 0;
  for (const match of block.matchAll(/<(\/?)([A-Za-z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (closing) depth -= 1;
    else {
      if (depth === 0 && name) names.push(name);
      if (!selfClosing) depth += 1;
    }
  }
  return names;
}

/** Resolves once `condition` holds, polling every 5 ms (no fixed sleeps); fails after ~2.5 s. */
export async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error("condition never became true");
}
