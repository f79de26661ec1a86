/**
 * Sigma string values: parsing wildcards and escapes (`*`, `?`, `\*`, `\?`, `\\`) into parts,
 * and compiling parts into a linear-time matcher (no regular expressions, no backtracking blow-up).
 */

export const ANY = 0; // `*`
export const ONE = 1; // `?`
export type Part = string | typeof ANY | typeof ONE;
/** A Sigma string: literal text and wildcards. */
export type SigmaString = readonly Part[];

/** Parses a Sigma value: `*` and `?` are wildcards; `\*`, `\?`, `\\` escape; any other `\` is literal. */
export function parseSigmaString(v: string): SigmaString {
  const parts: Part[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < v.length; i++) {
    const c = v[i] as string;
    if (c === '\\') {
      const n = v[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === '*' || c === '?') {
      flush();
      parts.push(c === '*' ? ANY : ONE);
    } else lit += c;
  }
  flush();
  return parts;
}

export function literalOnly(s: SigmaString): string | null {
  let out = '';
  for (const p of s) {
    if (typeof p !== 'string') return null;
    out += p;
  }
  return out;
}

export function mapLiterals(s: SigmaString, f: (lit: string) => string): SigmaString {
  return s.map((p) => (typeof p === 'string' ? f(p) : p));
}

/** The literal runs that any match must contain (split at wildcards). */
export function literalRuns(s: SigmaString): string[] {
  return s.filter((p): p is string => typeof p === 'string');
}

/** Segment = text where `\u0000`-free positions marked in `one` match any single character. */
interface Segment {
  readonly text: string;
  readonly one: readonly boolean[] | null;
}

function segmentAt(s: string, pos: number, seg: Segment): boolean {
  if (pos + seg.text.length > s.length) return false;
  if (seg.one === null) return s.startsWith(seg.text, pos);
  for (let i = 0; i < seg.text.length; i++) {
    if (!seg.one[i] && s.charCodeAt(pos + i) !== seg.text.charCodeAt(i)) return false;
  }
  return true;
}

function findSegment(s: string, from: number, seg: Segment): number {
  if (seg.one === null) return s.indexOf(seg.text, from);
  for (let p = from; p + seg.text.length <= s.length; p++) if (segmentAt(s, p, seg)) return p;
  return -1;
}

function toSegments(parts: SigmaString): { segs: Segment[]; leadAny: boolean; trailAny: boolean } {
  const segs: Segment[] = [];
  let text = '';
  let one: boolean[] = [];
  let hasOne = false;
  const push = (): void => {
    segs.push({ text, one: hasOne ? one : null });
    text = '';
    one = [];
    hasOne = false;
  };
  for (const p of parts) {
    if (p === ANY) push();
    else if (p === ONE) {
      text += '\u0000';
      one.push(true);
      hasOne = true;
    } else {
      text += p;
      for (let i = 0; i < p.length; i++) one.push(false);
    }
  }
  push();
  return { segs, leadAny: parts[0] === ANY, trailAny: parts[parts.length - 1] === ANY };
}

/** Compiles a Sigma string into a whole-value matcher. Case folding is the caller's business. */
export function compileGlob(parts: SigmaString): (s: string) => boolean {
  const lit = literalOnly(parts);
  if (lit !== null) return (s) => s === lit;
  const { segs } = toSegments(parts);
  const first = segs[0] as Segment;
  const last = segs[segs.length - 1] as Segment;
  const middle = segs.slice(1, -1).filter((g) => g.text.length > 0);
  if (segs.length === 2 && first.one === null && last.one === null) {
    const [a, b] = [first.text, last.text];
    if (a === '' && b === '') return () => true;
    if (a === '') return (s) => s.endsWith(b);
    if (b === '') return (s) => s.startsWith(a);
    return (s) => s.length >= a.length + b.length && s.startsWith(a) && s.endsWith(b);
  }
  if (segs.length === 3 && first.text === '' && last.text === '' && middle.length === 1 && middle[0]?.one === null) {
    const m = middle[0].text;
    return (s) => s.includes(m);
  }
  if (segs.length === 1) return (s) => s.length === first.text.length && segmentAt(s, 0, first);
  return (s) => {
    if (!segmentAt(s, 0, first)) return false;
    let pos = first.text.length;
    const end = s.length - last.text.length;
    if (end < pos || !segmentAt(s, end, last)) return false;
    for (const g of middle) {
      const at = findSegment(s, pos, g);
      if (at < 0 || at + g.text.length > end) return false;
      pos = at + g.text.length;
    }
    return true;
  };
}
