/**
 * Time normalisation for the timeline: every input time becomes epoch milliseconds, and
 * every output time UTC ISO 8601 with milliseconds. A time without a zone is UTC (IIS W3C
 * logs, Exchange CSV logs and event logs record UTC), never the local zone of the machine
 * exhunt runs on: the output does not depend on TZ.
 */

const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function zoneOffsetMs(zone: string | undefined): number | null {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3] ?? '0');
  if (h > 23 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min) * 60_000;
}

/**
 * Epoch milliseconds of `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fff…]]` with an optional
 * `Z` or `±HH[:MM]` (none: UTC). Fractions beyond milliseconds are truncated. Null when the
 * text is not such a time or names an impossible date (2021-02-30).
 */
export function parseUtc(text: string): number | null {
  const m = ISO_LIKE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3) || '0');
  const offset = zoneOffsetMs(m[8]);
  if (offset === null || mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(t);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return t - offset;
}

/** UTC ISO 8601 with milliseconds. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** Microseconds since the epoch (Timesketch's `timestamp`); exact for every Date in range. */
export function micros(ms: number): number {
  return Math.round(ms) * 1000;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `30m`, `12h`, `2d`, `1w` (or `0`) as milliseconds; null when not such a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,6})([smhdw])?$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2] === undefined) return n === 0 ? 0 : null;
  return n * (UNIT_MS[m[2].toLowerCase()] ?? 0);
}
