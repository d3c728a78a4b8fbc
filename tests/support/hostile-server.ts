/**
 * A small HTTP(S) server on 127.0.0.1 whose every answer a test scripts: broken, hostile or
 * echoing servers the simulator deliberately is not (issue 11). Records each request, body included.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";

export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request; may also never answer (a black hole) or destroy the socket. */
export type Handler = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>;

export interface HostileServer {
  url: string;
  /** Requests whose body arrived, in order. */
  requests: ReceivedRequest[];
  /** TCP connections accepted (a TLS handshake that fails still counts one). */
  connections(): number;
  close(): Promise<void>;
}

export async function startHostileServer(handler: Handler, options: { tls?: { key: string; cert: string } } = {}): Promise<HostileServer> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const onRequest = (req: import("node:http").IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const received: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(received);
      Promise.resolve(handler(received, res)).catch(() => res.destroy());
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, onRequest) : createHttpServer(onRequest);
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A failed TLS handshake must not crash the test process.
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A `ServiceResponse` document around `inner` (responseCode, count, data, ...), as QPS sends it. */
export function qpsXml(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ServiceResponse>${inner}</ServiceResponse>`;
}

/** Sends `body` as XML with `status` (default 200). */
export function sendXml(response: ServerResponse, body: string, status = 200, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/xml", ...headers });
  response.end(body);
}
