/**
 * A QPS-level failure: Qualys answers these with HTTP 200 and a `responseCode` in the XML body
 * (docs/qualys-api.md, "Responses and errors"), so handlers throw this and the
 * request pipeline turns it into an error `ServiceResponse`.
 */
export class QpsError extends Error {
  constructor(
    /** The `responseCode`, e.g. INVALID_REQUEST, OBJECT_NOT_FOUND, CA_1001_DUPLICATE_KEY. */
    readonly responseCode: string,
    message: string,
    /** Text for `errorResolution`; a generic hint when omitted. */
    readonly resolution = "Correct the request and try again.",
  ) {
    super(message);
    this.name = "QpsError";
  }
}

/** INVALID_REQUEST: the body or path is not acceptable. */
export function invalidRequest(message: string, resolution?: string): QpsError {
  return new QpsError("INVALID_REQUEST", message, resolution);
}

/**
 * OBJECT_NOT_FOUND: also what an out-of-scope key looks like to a reader (docs/qualys-api.md, "User
 * scoping").
 */
export function objectNotFound(id: number): QpsError {
  return new QpsError(
    "OBJECT_NOT_FOUND",
    `Activation key with id ${id} does not exist or is not visible to this user.`,
    "Check the id, or ask a manager to add the key to your scope.",
  );
}
