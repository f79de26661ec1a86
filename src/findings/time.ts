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

/** The earlier of two optional times (null when both are null). */
export function earlierIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareIso(a, b) <= 0 ? a : b;
}

/** The later of two optional times (null when both are null). */
export function laterIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareIso(a, b) >= 0 ? a : b;
}
