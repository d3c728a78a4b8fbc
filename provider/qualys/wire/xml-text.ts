/**
 * Which text an XML request can carry. XML 1.0 (§2.2, production `Char`) allows tab, LF, CR,
 * U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF; anything else (other C0 controls, NUL,
 * unpaired surrogates, U+FFFE, U+FFFF) cannot be written at all, not even as a character reference,
 * and xmlbuilder throws a bare Error on it. One definition serves `check` (through the title's
 * pattern in properties.ts, so `pulumi preview` refuses it) and the codec (defence in depth).
 */

/**
 * The characters XML 1.0 cannot carry, as the body of a character class for a RegExp with the `u`
 * flag: in `u` mode a surrogate pair is one code point above U+FFFF, so only unpaired surrogates
 * fall in U+D800–U+DFFF. (ajv compiles JSON Schema patterns with `u`: its `unicodeRegExp` option.)
 */
export const XML_ILLEGAL_CHARACTERS = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uD800-\\uDFFF\\uFFFE\\uFFFF";

const ILLEGAL = new RegExp(`[${XML_ILLEGAL_CHARACTERS}]`, "u");

/** The first character of `text` XML cannot carry, as `U+0001 at position 4` (1-based, in characters), or undefined. */
export function xmlIllegalCharacterIn(text: string): string | undefined {
  const characters = [...text];
  const index = characters.findIndex((c) => ILLEGAL.test(c));
  if (index < 0) return undefined;
  const codePoint = characters[index]!.codePointAt(0)!;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")} at position ${index + 1}`;
}
