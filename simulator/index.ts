/**
 * The embedded Qualys simulator: a real HTTP server on 127.0.0.1 that speaks the agentactkey QPS
 * API (`/qps/rest/1.0/...`), issues JWTs (`/auth`) and offers a test admin API (`/__admin/`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdmin } from "./admin";
import { handleAdminRequest } from "./admin-routes";
import { handleAuthRequest } from "./auth-route";
import { sendText } from "./http-io";
import { handleQpsRequest } from "./qps-request-pipeline";
import { createContext } from "./simulator-context";
import type { RunningSimulator, SimulatorOptions } from "./types";

export type * from "./types";

/** Starts a simulator; `close()` it when done. Defaults: port 0 (any free port), host 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const context = createContext(options);
  const admin = createAdmin(context);

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? "/", "http://simulator").pathname;
    if (path.startsWith("/qps/rest/")) return handleQpsRequest(context, request, response, path);
    if (path === "/auth" || path === "/auth/") return handleAuthRequest(context, request, response);
    if (path.startsWith("/__admin/")) return handleAdminRequest(admin, context.bodies, request, response, path);
    sendText(response, 404, "Not found. The simulator serves /qps/rest/1.0/.../ca/agentactkey, /auth and /__admin/.");
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // A simulator bug must show up as a 500, not crash the process hosting the tests.
      if (!response.headersSent) sendText(response, 500, `Simulator error: ${error instanceof Error ? error.message : String(error)}`);
      else response.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    admin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
