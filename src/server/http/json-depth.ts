/**
 * Nesting depth of JSON text, measured on the bytes before parsing (one linear pass; brackets
 * inside strings do not count). A body nested deeper than MAX_JSON_DEPTH is refused with a 400
 * before it is parsed: deep structures overflow the stack of recursive code later on (JSON
 * serialisation, validation), which would otherwise answer 500. Works on UTF-8 bytes: every
 * byte of a multi-byte sequence is >= 0x80, so none is mistaken for a quote or a bracket.
 */

/** Objects and arrays nested at most this deep (a report nests ~6 levels; `details` a few more). */
export const MAX_JSON_DEPTH = 64;

/** Why `bytes` is nested too deep (a message naming the byte offset), or null. */
export function jsonDepthProblem(bytes: Uint8Array, max: number = MAX_JSON_DEPTH): string | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) {
      inString = true;
    } else if (b === 0x7b || b === 0x5b) {
      if (++depth > max) return `JSON nested deeper than ${max} levels (at byte ${i})`;
    } else if (b === 0x7d || b === 0x5d) {
      depth--;
    }
  }
  return null;
}
