/**
 * How a call gets its `Authorization` header. Two implementations: Basic (basic-auth.ts) for
 * `/qps/rest` on the API server, and a JWT from `<gateway>/auth` (jwt-authenticator.ts), chosen by
 * `authMode` (qualys:authMode).
 */
export interface Authenticator {
  /** The `Authorization` header value for the next call. */
  authorization(): Promise<string>;
  /**
   * The server answered 401 to a call sent with `rejected`. Returns true when a fresh credential
   * is available, so the caller retries that call once; false when retrying cannot help.
   */
  renewAfterRejection(rejected: string): Promise<boolean>;
}
