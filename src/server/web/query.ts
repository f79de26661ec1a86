/**
 * Reading page query strings: every value is untrusted text; numbers are clamped, enums are
 * checked against their list, anything else falls back to the default. Pages never throw on
 * a bad query.
 */
export type Query = Readonly<Record<string, unknown>>;

export function str(q: Query, key: string, max = 200): string | undefined {
  const v = q[key];
  const s: unknown = Array.isArray(v) ? (v[0] as unknown) : v;
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  return t === '' ? undefined : t.slice(0, max);
}

export function int(q: Query, key: string, dflt: number, min: number, max: number): number {
  const s = str(q, key, 20);
  if (s === undefined || !/^\d+$/.test(s)) return dflt;
  return Math.min(max, Math.max(min, Number(s)));
}

export function oneOf<T extends string>(q: Query, key: string, allowed: readonly T[]): T | undefined {
  const s = str(q, key, 50);
  return s !== undefined && (allowed as readonly string[]).includes(s) ? (s as T) : undefined;
}

export function flag(q: Query, key: string): boolean {
  const s = str(q, key, 10);
  return s === '1' || s === 'true' || s === 'on';
}

/** Page size and offset from `?limit=&offset=`. */
export function paging(q: Query, dfltLimit = 50, maxLimit = 200): { readonly limit: number; readonly offset: number } {
  return { limit: int(q, 'limit', dfltLimit, 1, maxLimit), offset: int(q, 'offset', 0, 0, 100_000_000) };
}
