/**
 * Byte-level expressions (ast.ts `Re`) into JavaScript RegExp source over a latin1 string (one
 * char per byte, no `i`/`m`/`s`/`u` flag: case folding, `.` and classes are already explicit
 * byte sets, so V8 adds no Unicode semantics), the literal atoms that every match must contain
 * (for the Aho-Corasick prefilter), and the backtracking guard.
 *
 * Backtracking guard (V8's RegExp engine backtracks): an expression is REJECTED (Y301) when
 * - a repeat that may iterate more than once has a body that can match the same text in more
 *   than one way per iteration — unless the body has a fixed length and no alternation, or ends
 *   with a byte set that nothing else in the body can match (each iteration then ends at a
 *   determined byte): this excludes `(a+)+`, `(a|ab)*`, `(\s*x?)*` (exponential time);
 * - it has two or more unbounded repeats of wide byte sets (64 or more bytes, such as `.*`,
 *   `[^;]+`, hex `[-]` jumps): cubic time over a file. Bounded forms (`.{0,200}`) are fine.
 * What remains is at most quadratic in the length of one match attempt, with bounded repeats.
 */
import type { Re } from './ast.js';
import { byteSet } from './regex-parse.js';

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

function emitByte(b: number): string {
  if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95) return String.fromCharCode(b);
  return `\\x${hex2(b)}`;
}

const emitted = new WeakMap<Uint8Array, string>();

function emitSet(bytes: Uint8Array): string {
  let e = emitted.get(bytes);
  if (e === undefined) {
    e = emitSetUncached(bytes);
    emitted.set(bytes, e);
  }
  return e;
}

function emitSetUncached(bytes: Uint8Array): string {
  let n = 0;
  for (let b = 0; b < 256; b++) n += bytes[b] as number;
  if (n === 256) return '[\\s\\S]';
  if (n === 0) return '[]';
  if (n === 1) return emitByte(bytes.indexOf(1));
  let out = '[';
  for (let b = 0; b < 256; b++) {
    if (!bytes[b]) continue;
    let e = b;
    while (e + 1 < 256 && bytes[e + 1]) e++;
    out += e === b ? `\\x${hex2(b)}` : e === b + 1 ? `\\x${hex2(b)}\\x${hex2(e)}` : `\\x${hex2(b)}-\\x${hex2(e)}`;
    b = e;
  }
  return out + ']';
}

export function toJsSource(re: Re): string {
  switch (re.t) {
    case 'set':
      return emitSet(re.bytes);
    case 'cat':
      return re.items.map((i) => (i.t === 'alt' ? `(?:${toJsSource(i)})` : toJsSource(i))).join('');
    case 'alt':
      return re.items.map(toJsSource).join('|');
    case 'group':
      return `(?:${toJsSource(re.item)})`;
    case 'rep': {
      const inner = re.item.t === 'set' ? toJsSource(re.item) : `(?:${toJsSource(re.item)})`;
      const q =
        re.min === 0 && re.max === -1
          ? '*'
          : re.min === 1 && re.max === -1
            ? '+'
            : re.min === 0 && re.max === 1
              ? '?'
              : re.max === -1
                ? `{${re.min},}`
                : re.min === re.max
                  ? `{${re.min}}`
                  : `{${re.min},${re.max}}`;
      return inner + q + (re.lazy ? '?' : '');
    }
    case 'bol':
      return '^';
    case 'eol':
      return '$';
    case 'wordb':
      return re.neg ? '\\B' : '\\b';
  }
}

const ZERO: Re = byteSet(0, false);

/** The `wide` form: every byte followed by a zero byte. */
export function widen(re: Re): Re {
  switch (re.t) {
    case 'set':
      return { t: 'cat', items: [re, ZERO] };
    case 'cat':
    case 'alt':
      return { t: re.t, items: re.items.map(widen) };
    case 'group':
      return { t: 'group', item: widen(re.item) };
    case 'rep':
      return { ...re, item: { t: 'group', item: widen(re.item) } };
    default:
      return re;
  }
}

/** A literal byte string (latin1) as an expression, case-folded when `nocase`. */
export function literalRe(bytes: string, nocase: boolean): Re {
  const items: Re[] = [];
  for (let i = 0; i < bytes.length; i++) items.push(byteSet(bytes.charCodeAt(i), nocase));
  return { t: 'cat', items };
}

// ---- atoms ----

const MAX_ALTS = 256;
const MAX_ATOM = 16;
const INF = Number.POSITIVE_INFINITY;
const lower = (b: number): number => (b >= 65 && b <= 90 ? b | 32 : b);

/** Literals (case-folded), one of which every match contains, starting `lo`..`hi` bytes into the match. */
export interface Atoms {
  readonly lits: readonly string[];
  readonly lo: number;
  readonly hi: number;
}

interface Info {
  /** Every string the node can match (case-folded), when few and short; else null. */
  readonly exact: readonly string[] | null;
  /** Literals one of which every match contains, with their offset range in the node. */
  readonly atoms: Atoms | null;
  readonly minLen: number;
  readonly maxLen: number;
}

const folded = new WeakMap<Uint8Array, number[] | null>();

function foldedBytes(bytes: Uint8Array): number[] | null {
  let f = folded.get(bytes);
  if (f === undefined) {
    f = foldedBytesUncached(bytes);
    folded.set(bytes, f);
  }
  return f;
}

function foldedBytesUncached(bytes: Uint8Array): number[] | null {
  const out = new Set<number>();
  for (let b = 0; b < 256; b++) {
    if (bytes[b]) {
      out.add(lower(b));
      if (out.size > 4) return null;
    }
  }
  return [...out];
}

function valid(a: Atoms | null): a is Atoms {
  return a !== null && a.lits.length > 0 && a.lits.every((l) => l.length > 0);
}

function quality(a: Atoms | null): number {
  if (!valid(a)) return -Infinity;
  let min = Infinity;
  for (const s of a.lits) min = Math.min(min, s.length);
  // Longer literals and fewer of them; a known, narrow place in the match (local verification).
  const place = a.hi === INF ? 12 : Math.log2(1 + a.hi - a.lo);
  return Math.min(min, 8) * 4 - Math.log2(a.lits.length) - place;
}

function product(a: readonly string[], b: readonly string[]): string[] | null {
  if (a.length * b.length > MAX_ALTS) return null;
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return out;
}

function best(a: Atoms | null, b: Atoms | null): Atoms | null {
  return quality(b) > quality(a) ? b : a;
}

function clip(set: readonly string[]): string[] {
  return [...new Set(set.map((s) => s.slice(0, MAX_ATOM)))];
}

function exactAtoms(exact: readonly string[] | null, at: number, atMax: number): Atoms | null {
  return exact ? { lits: clip(exact), lo: at, hi: atMax } : null;
}

function shift(a: Atoms | null, lo: number, hi: number): Atoms | null {
  return a ? { lits: a.lits, lo: a.lo + lo, hi: a.hi + hi } : null;
}

function info(re: Re): Info {
  switch (re.t) {
    case 'set': {
      const f = foldedBytes(re.bytes);
      return { exact: f ? f.map((b) => String.fromCharCode(b)) : null, atoms: null, minLen: 1, maxLen: 1 };
    }
    case 'bol':
    case 'eol':
    case 'wordb':
      return { exact: [''], atoms: null, minLen: 0, maxLen: 0 };
    case 'group':
      return info(re.item);
    case 'rep': {
      const inner = info(re.item);
      const minLen = re.min * inner.minLen;
      const maxLen = re.max === -1 ? (inner.maxLen === 0 ? 0 : INF) : re.max * inner.maxLen;
      if (re.min === 0) return { exact: re.max === 0 ? [''] : null, atoms: null, minLen, maxLen };
      let exact: string[] | null = null;
      if (re.min === re.max && inner.exact && re.min <= MAX_ATOM) {
        exact = [''];
        for (let i = 0; i < re.min && exact; i++) exact = product(exact, inner.exact);
        if (exact && exact.some((s) => s.length > MAX_ATOM * 2)) exact = null;
      }
      // The first iteration holds an atom where the inner expression does.
      return { exact, atoms: best(exactAtoms(inner.exact, 0, 0), inner.atoms), minLen, maxLen };
    }
    case 'alt': {
      const parts = re.items.map(info);
      let exact: string[] | null = [];
      let lits: string[] | null = [];
      let lo = INF;
      let hi = 0;
      for (const p of parts) {
        if (exact && p.exact) exact.push(...p.exact);
        else exact = null;
        const a = best(exactAtoms(p.exact, 0, 0), p.atoms);
        if (lits && valid(a)) {
          lits.push(...a.lits);
          lo = Math.min(lo, a.lo);
          hi = Math.max(hi, a.hi);
        } else lits = null;
      }
      if (exact && exact.length > MAX_ALTS) exact = null;
      if (lits && lits.length > MAX_ALTS) lits = null;
      return {
        exact: exact ? [...new Set(exact)] : null,
        atoms: lits ? { lits: clip(lits), lo, hi } : null,
        minLen: Math.min(...parts.map((p) => p.minLen)),
        maxLen: Math.max(...parts.map((p) => p.maxLen)),
      };
    }
    case 'cat': {
      let chosen: Atoms | null = null;
      let run: string[] | null = null;
      let runLo = 0;
      let runHi = 0;
      let whole: string[] | null = [''];
      let lo = 0; // offset range of the current item's start
      let hi = 0;
      const parts = re.items.map(info);
      for (const p of parts) {
        if (p.exact) {
          const ext: string[] | null = run ? product(run, p.exact) : null;
          if (run && ext && ext.every((s) => s.length <= MAX_ATOM)) run = ext;
          else {
            chosen = best(chosen, exactAtoms(run, runLo, runHi));
            run = [...p.exact];
            runLo = lo;
            runHi = hi;
          }
        } else {
          chosen = best(chosen, exactAtoms(run, runLo, runHi));
          run = null;
          chosen = best(chosen, shift(p.atoms, lo, hi));
        }
        whole = whole && p.exact ? product(whole, p.exact) : null;
        lo += p.minLen;
        hi += p.maxLen;
      }
      chosen = best(chosen, exactAtoms(run, runLo, runHi));
      return {
        exact: whole,
        atoms: chosen,
        minLen: parts.reduce((n, p) => n + p.minLen, 0),
        maxLen: parts.reduce((n, p) => n + p.maxLen, 0),
      };
    }
  }
}

/** Case-folded literals one of which every match of `re` contains (with where), or null. */
export function atomsOf(re: Re): Atoms | null {
  const i = info(re);
  const a = best(exactAtoms(i.exact, 0, 0), i.atoms);
  return valid(a) ? a : null;
}

// ---- backtracking guard ----

function setCount(bytes: Uint8Array): number {
  let n = 0;
  for (let b = 0; b < 256; b++) n += bytes[b] as number;
  return n;
}

function unwrap(re: Re): Re {
  return re.t === 'group' ? unwrap(re.item) : re;
}

function fixedNoAlt(re: Re): boolean {
  switch (re.t) {
    case 'set':
    case 'bol':
    case 'eol':
    case 'wordb':
      return true;
    case 'group':
      return fixedNoAlt(re.item);
    case 'rep':
      return re.min === re.max && fixedNoAlt(re.item);
    case 'cat':
      return re.items.every(fixedNoAlt);
    case 'alt':
      return false;
  }
}

function unionSets(re: Re, into: Uint8Array): void {
  switch (re.t) {
    case 'set':
      for (let b = 0; b < 256; b++) if (re.bytes[b]) into[b] = 1;
      return;
    case 'group':
    case 'rep':
      unionSets(re.item, into);
      return;
    case 'cat':
    case 'alt':
      for (const i of re.items) unionSets(i, into);
      return;
    default:
      return;
  }
}

function disjointFromRest(edge: Re, rest: readonly Re[]): boolean {
  const e = unwrap(edge);
  if (e.t !== 'set') return false;
  const u = new Uint8Array(256);
  for (const i of rest) unionSets(i, u);
  for (let x = 0; x < 256; x++) if (e.bytes[x] && u[x]) return false;
  return true;
}

/** Whether the iterations of a repeated body split the text in one way only. */
function iterationDetermined(body: Re): boolean {
  if (fixedNoAlt(body)) return true;
  const b = unwrap(body);
  if (b.t !== 'cat' || b.items.length < 2) return false;
  // Ends (or starts) with a byte nothing else in the body can match.
  return disjointFromRest(b.items[b.items.length - 1] as Re, b.items.slice(0, -1)) || disjointFromRest(b.items[0] as Re, b.items.slice(1));
}

/** Why `re` is rejected by the backtracking guard, or null when it is accepted. */
export function backtrackingRisk(re: Re): string | null {
  let wideUnbounded = 0;
  let problem: string | null = null;
  const walk = (n: Re): void => {
    if (problem) return;
    switch (n.t) {
      case 'rep': {
        const body = unwrap(n.item);
        if ((n.max === -1 || n.max > 1) && !iterationDetermined(body)) {
          problem = 'a repeated group can match the same text in several ways (nested or ambiguous repetition)';
          return;
        }
        if (n.max === -1 && body.t === 'set' && setCount(body.bytes) >= 64) wideUnbounded++;
        walk(n.item);
        return;
      }
      case 'group':
        walk(n.item);
        return;
      case 'cat':
      case 'alt':
        for (const i of n.items) walk(i);
        return;
      default:
        return;
    }
  };
  walk(re);
  if (problem) return problem;
  if (wideUnbounded >= 2) return 'two or more unbounded repeats of wide byte sets (such as .* or [^x]+): bound them, e.g. .{0,200}';
  return null;
}
