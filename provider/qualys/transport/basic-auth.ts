/** HTTP Basic authentication, the documented scheme of `/qps/rest` on the API server. */
import type { Authenticator } from "./authenticator";

/** An authenticator that sends `Basic base64(username:password)` on every call. */
export function basicAuthenticator(username: string, password: string): Authenticator {
  const header = `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
  return {
    authorization: async () => header,
    // The same password would be refused again.
    renewAfterRejection: async () => false,
  };
}
