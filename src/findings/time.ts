/**
 * Comparing evidence times. Sources write ISO-8601 with and without fractional seconds
 * ("…:08Z" vs "…:08.311Z"), which string comparison orders wrongly ('.' < 'Z'); compare the
 * instants, and fall back to the strings only when a value does not parse.
 */

/** Negative when `a` is before `b`, positive when after, 0 when the same instant. */
export function compareIso(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return a < b ? -1 : a > b ? 1 : 0;
  return ta - tb;
}

/**
 * The earlier of two optional times (null when both are null). One instant written two ways
 * ("…:08Z", "…:08.000Z") gives the one first in text order, whichever came first: results
 * built from hits that arrive in any order (worker threads) stay the same.
 */
export function earlierIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const c = compareIso(a, b);
  return c < 0 || (c === 0 && a <= b) ? a : b;
}

/** The later of two optional times (null when both are null); same-instant ties as `earlierIso`. */
export function laterIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const c = compareIso(a, b);
  return c > 0 || (c === 0 && a <= b) ? a : b;
}
