import { createServer, type Server } from "node:http";

/**
 * What a wrong qualys:apiUrl often reaches: some web server or proxy that is not Qualys and answers
 * every path with an HTML error page (here 502). A 5xx to a create is ambiguous, so create-or-adopt
 * looks for the title next, and that fails the same way.
 */
export async function startNotQualys(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(502, { "content-type": "text/html" });
    response.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
