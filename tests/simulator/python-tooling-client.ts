/**
 * A TypeScript stand-in for the way Qualys' own Python tooling calls the activation-key API
 * (docs/qualys-api.md, "JSON answers, as Qualys' own tooling uses them"): a
 * `requests` session with Basic auth and `X-Requested-With: python3/requests`, whose headers
 * every call's extra headers are merged into for good; `Content-type: text/xml` bodies built by
 * ElementTree without an XML declaration; `Accept: application/json` answers parsed as JSON and
 * paged with `preferences/startFromOffset` until `hasMoreRecords == 'false'` (a string compare);
 * and after every answer, "blocked" when `X-Concurrency-Limit-Running >= -Limit` (sleep 15 s and
 * retry) or when `X-RateLimit-ToWait-Sec > 0` (sleep that long and retry).
 *
 * Written from those facts for the tests, with node:http. Sleeps go through an injected function
 * and the retries and pages are capped, so a server that would make the real tool loop forever
 * fails the test instead of hanging it.
 */
import { request as httpRequest } from "node:http";

export interface ToolingAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One key of a JSON answer: `{"AgentActKey": {...}}`. */
export type JsonKeyEntry = { AgentActKey: Record<string, unknown> & { id: number; title?: string } };

/** A tiny ElementTree: elements with text or children, serialised without a declaration. */
export type XmlNode = [name: string, content: string | XmlNode[]];

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function toXml([name, content]: XmlNode): string {
  return `<${name}>${typeof content === "string" ? escapeText(content) : content.map(toXml).join("")}</${name}>`;
}

export class PythonToolingClient {
  /** The session's headers; `call` merges its extra headers into them for good, as the tool does. */
  readonly sessionHeaders: Record<string, string> = {
    "User-Agent": "python-requests/2.31.0",
    "Accept-Encoding": "gzip, deflate",
    Accept: "*/*",
    Connection: "keep-alive",
    "X-Requested-With": "python3/requests",
  };
  /** Every sleep the tool decided on, in seconds. */
  readonly sleeps: number[] = [];
  readonly answers: ToolingAnswer[] = [];

  constructor(
    private readonly server: string,
    username: string,
    password: string,
    private readonly sleep: (seconds: number) => void = () => undefined,
    private readonly maxRetries = 3,
  ) {
    this.sessionHeaders["Authorization"] = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }

  /** The tool's makeCall: POST (or GET), then the concurrency and rate checks on the answer. */
  async call(path: string, payload = "", headers: Record<string, string> = {}, method = "POST", retryCount = 0): Promise<ToolingAnswer> {
    Object.assign(this.sessionHeaders, headers);
    let answer = await this.send(method, path, payload);
    const limit = Number(answer.headers["x-concurrency-limit-limit"]);
    const running = Number(answer.headers["x-concurrency-limit-running"]);
    if (answer.headers["x-concurrency-limit-limit"] !== undefined && answer.headers["x-concurrency-limit-running"] !== undefined && running >= limit) {
      answer = await this.retry(15, path, payload, headers, method, retryCount);
    }
    const toWait = Number(answer.headers["x-ratelimit-towait-sec"] ?? 0);
    if (toWait > 0) answer = await this.retry(toWait, path, payload, headers, method, retryCount);
    return answer;
  }

  /** getActivationKeys: every key, paged by startFromOffset, answers in JSON. */
  async listKeys(pageSize = 1000, maxPages = 50): Promise<JsonKeyEntry[]> {
    const keys: JsonKeyEntry[] = [];
    for (let start = 1, page = 0; ; start += pageSize, page += 1) {
      if (page >= maxPages) throw new Error(`hasMoreRecords never became the string 'false' after ${maxPages} pages`);
      const body = toXml(["ServiceRequest", [["preferences", [["startFromOffset", String(start)], ["limitResults", String(pageSize)]]]]]);
      const answer = await this.call("/qps/rest/1.0/search/ca/agentactkey/", body, { "Content-type": "text/xml", Accept: "application/json" });
      const json = JSON.parse(answer.text) as { ServiceResponse: { data: JsonKeyEntry[]; hasMoreRecords: unknown } };
      keys.push(...json.ServiceResponse.data);
      if (json.ServiceResponse.hasMoreRecords === "false") return keys;
    }
  }

  /** createActivationKey: title, type, the key's modules plus GAV, its tags by name. */
  createKey(source: JsonKeyEntry): Promise<ToolingAnswer> {
    const key = source.AgentActKey as unknown as { title: string; type: string; modules: { list: { ActivationKeyModule: { license: string } }[] }; tags: { list: { Tag: { name: string } }[] } };
    const modules: XmlNode[] = [...key.modules.list.map((module) => module.ActivationKeyModule.license), "GAV"].map((license) => ["ActivationKeyModule", [["license", license]]]);
    const tags: XmlNode[] = key.tags.list.map((tag) => ["Tag", [["name", tag.Tag.name]]]);
    const body = toXml([
      "ServiceRequest",
      [["data", [["AgentActKey", [["title", key.title], ["type", key.type], ["modules", [["list", modules]]], ["tags", [["list", tags]]]]]]]],
    ]);
    return this.call("/qps/rest/1.0/create/ca/agentactkey/", body);
  }

  private async retry(seconds: number, path: string, payload: string, headers: Record<string, string>, method: string, retryCount: number): Promise<ToolingAnswer> {
    if (retryCount >= this.maxRetries) throw new Error(`the tool would retry forever: ${retryCount} retries of ${path}, last sleep ${seconds} s`);
    this.sleeps.push(seconds);
    this.sleep(seconds);
    return this.call(path, payload, headers, method, retryCount + 1);
  }

  private send(method: string, path: string, payload: string): Promise<ToolingAnswer> {
    const url = new URL(path, this.server);
    const body = Buffer.from(payload, "utf8");
    const headers = { ...this.sessionHeaders, "Content-Length": String(body.length) };
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(url, { method, headers }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () => {
          const answer = { status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString("utf8") };
          this.answers.push(answer);
          resolve(answer);
        });
        incoming.on("error", reject);
      });
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }
}
