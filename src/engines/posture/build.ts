/** Exchange build numbers: parsing (with or without leading zeros), formatting, comparing. */

/** A parsed build. `revision` is null for a 3-part build (CU known, SU unknown). */
export interface BuildNumber {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  readonly revision: number | null;
}

const BUILD_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,6})(?:\.(\d{1,5}))?$/;

/**
 * Parses `15.2.792.10`, `15.02.0792.010` or `15.2.792` (3 parts). Returns null when malformed.
 * Surrounding whitespace and a leading "Version " / "v" are tolerated; nothing else is.
 */
export function parseBuild(text: string): BuildNumber | null {
  const s = text.trim().replace(/^(?:version\s+|v)/i, '');
  const m = BUILD_RE.exec(s);
  if (!m) return null;
  const [, a, b, c, d] = m;
  const parts = [a, b, c].map((x) => Number.parseInt(x ?? '', 10));
  const [major, minor, build] = parts as [number, number, number];
  const revision = d === undefined ? null : Number.parseInt(d, 10);
  if (major > 99 || minor > 99 || build > 99999 || (revision !== null && revision > 9999)) return null;
  return { major, minor, build, revision };
}

export function formatBuild(b: BuildNumber): string {
  const base = `${b.major}.${b.minor}.${b.build}`;
  return b.revision === null ? base : `${base}.${b.revision}`;
}

/** Compares two builds; a missing revision sorts as 0. */
export function compareBuilds(x: BuildNumber, y: BuildNumber): number {
  return (
    x.major - y.major || x.minor - y.minor || x.build - y.build || (x.revision ?? 0) - (y.revision ?? 0)
  );
}

/** Parses a build known to be well-formed (KB data); throws otherwise. */
export function mustParseBuild(text: string): BuildNumber {
  const b = parseBuild(text);
  if (!b || b.revision === null) throw new Error(`not a 4-part build: ${text}`);
  return b;
}
