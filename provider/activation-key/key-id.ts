/**
 * The one rule for a resource id, shared by read, update, delete, import and the functions: the
 * canonical decimal form of a Qualys key id, 1 to 2^53-1. No sign, no leading zero, no whitespace,
 * no exponent or hex: `Number()` alone reads `0x3730ed`, `361700.6e1` and `" 3617007 "` as real
 * keys and acts on them, and rounds `9007199254740993` onto another key.
 */
import { QualysError } from "../qualys/errors";
import type { QualysOperation } from "../qualys/types";

/** The canonical decimal form of a key id, as a JSON-schema pattern (the functions' `id` argument). */
export const KEY_ID_PATTERN = "^[1-9][0-9]*$";

const KEY_ID = new RegExp(KEY_ID_PATTERN);

/** Whether `text` is a key id by the one rule: for inputs that may be an id or something else (a title). */
export function isKeyId(text: string): boolean {
  return KEY_ID.test(text) && Number.isSafeInteger(Number(text));
}

/** The numeric Qualys id of `id`, or a QUALYS_INVALID_INPUT naming it. Never rounded. */
export function parseKeyId(id: unknown, operation: QualysOperation): number {
  const text = typeof id === "string" ? id : String(id);
  if (typeof id !== "string" || !isKeyId(id)) {
    throw new QualysError(
      "QUALYS_INVALID_INPUT",
      `The resource id ${JSON.stringify(text.slice(0, 40))} is not a Qualys activation key id (a whole number from 1 to 2^53-1, ` +
        `written in plain decimal): import, get or manage a key by the numeric id Qualys shows for it.`,
      { operation },
    );
  }
  return Number(text);
}
