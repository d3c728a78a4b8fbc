/**
 * A write that reached Qualys but did not end in the declared state (today: modules the
 * subscription does not license were dropped). The key exists, so it must be recorded in state
 * with its id and outputs, never lost; each adapter reports it the way its engine records a
 * half-done create/update (dynamic host: `id`/`properties`/`reasons` on the thrown error; plugin:
 * the ErrorResourceInitFailed detail).
 */
import type { QualysError } from "../qualys/errors";
import type { ActivationKeyOutputs } from "./properties";

export class IncompleteWriteError extends Error {
  constructor(
    /** The Qualys key id, as the engine's resource id. */
    readonly id: string,
    /** The key as Qualys holds it now. */
    readonly outputs: ActivationKeyOutputs,
    /** Why the write is incomplete; its code and message are what the user sees. */
    readonly reason: QualysError,
  ) {
    super(reason.message, { cause: reason });
    this.name = "IncompleteWriteError";
  }
}
