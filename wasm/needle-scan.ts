// AssemblyScript source of src/parsers/logs/needle-scan.wasm (build: `npm run build:wasm`).
// The byte-level line pre-screen of the log parsers with WebAssembly SIMD: the input is
// lower-cased (ASCII A-Z only) into a copy, candidate positions are found 16 bytes at a
// time from a 3-byte fingerprint of every needle, `d` bytes into it (nibble lookup tables,
// 8 buckets of needles: the "Teddy" technique of Hyperscan and Rust's aho-corasick, written
// anew here), each candidate is verified against its bucket's needles, and a line with a
// needle is kept when it holds every literal of some term. Contract and JS twin: needle-scan.ts.
//
// Configuration block at `cfg`, written by needle-scan.ts (u32 little endian unless said):
//   +0    96 bytes: nibble masks LO0 HI0 LO1 HI1 LO2 HI2, 16 bytes each (bit b: bucket b)
//   +96   bucketStart[9]: the needles of bucket b are bucketStart[b] .. bucketStart[b+1]-1
//   +132  needle table: (ptr, len, d) per needle, bucket by bucket, 12 bytes each; d: where
//         the needle's 3-byte fingerprint starts in it
//   +136  term count
//   +140  term table: (first, count) into the term-literal list, 8 bytes each
//   +144  term-literal list: literal indices, u32 each
//   +148  1: no terms (a needle alone keeps its line)
//   +152  literal table: (ptr, len) per distinct term literal, 8 bytes each
//   +156  literal count
//   +160  16 bytes: scratch (the candidate mask of a block)
//   +176  memo: one byte per literal (0 unknown, 1 in the line, 2 not), reset per line
//   +180  single: one byte per needle (1: the needle alone is a whole term)
//   +184  term masks: u32 per term, the needles some literal of the term contains (a term
//         can hold only when all of them are in the line); 0 when there are over 32 needles
//   +188  literal needle: u32 per literal, 1 + the index of the needle it equals, else 0
//   +192  out: the number of lines `lines` walked
//   +196  the largest d
//   +200  scratch: needle bits found by `verify`

/** Where the configuration block may start (after the module's own data). */
export function heapBase(): usize {
  return __heap_base;
}

@inline function lowerVec(v: v128): v128 {
  const upper = i8x16.lt_u(i8x16.sub(v, i8x16.splat(0x41)), i8x16.splat(26));
  return v128.or(v, v128.and(upper, i8x16.splat(0x20)));
}

/** Lower-cases A-Z of hay[0, n) into low[0, n) and zero-fills the 64 bytes after it. */
function lowerAll(hay: usize, low: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) v128.store(low + i, lowerVec(v128.load(hay + i)));
  for (; i < n; i++) {
    const c = load<u8>(hay + i);
    store<u8>(low + i, c - 0x41 < 26 ? c | 0x20 : c);
  }
  for (let k: usize = 0; k < 64; k += 16) v128.store(low + n + k, i8x16.splat(0));
}

@inline function eqBytes(a: usize, b: usize, len: usize): bool {
  for (let k: usize = 0; k < len; k++) if (load<u8>(a + k) != load<u8>(b + k)) return false;
  return true;
}

/** Whether low[from, to) contains the lower-case literal (ptr, len): first and last byte
 * compared 16 positions at a time, candidates verified. */
function contains(low: usize, from: usize, to: usize, ptr: usize, len: usize): bool {
  if (len == 0) return true;
  if (to < from + len) return false;
  const first = i8x16.splat(load<u8>(ptr));
  const last = i8x16.splat(load<u8>(ptr + len - 1));
  const stop = to - len;
  for (let i = from; i <= stop; i += 16) {
    const m = v128.and(i8x16.eq(v128.load(low + i), first), i8x16.eq(v128.load(low + i + len - 1), last));
    let bits = i8x16.bitmask(m);
    while (bits != 0) {
      const at = i + <usize>ctz(bits);
      bits &= bits - 1;
      if (at > stop) break;
      if (eqBytes(low + at, ptr, len)) return true;
    }
  }
  return false;
}

/**
 * Whether low[from, to) holds every literal of some term. `present`: the needles in the line
 * (bit j: needle j; only meaningful with at most 32 needles, when the term masks are set): a
 * term needing an absent needle is skipped, a literal that is a present needle is known.
 * Literal answers are memoised for the line.
 */
function termsIn(cfg: usize, low: usize, from: usize, to: usize, present: u32): bool {
  const terms = <usize>load<u32>(cfg + 140);
  const termLits = <usize>load<u32>(cfg + 144);
  const lits = <usize>load<u32>(cfg + 152);
  const memo = <usize>load<u32>(cfg + 176);
  const termMasks = <usize>load<u32>(cfg + 184);
  const litNeedle = <usize>load<u32>(cfg + 188);
  const litCount = load<u32>(cfg + 156);
  for (let l: u32 = 0; l < litCount; l++) {
    const j = load<u32>(litNeedle + 4 * l);
    store<u8>(memo + l, j != 0 && j <= 32 && (present & ((<u32>1) << (j - 1))) != 0 ? 1 : 0);
  }
  const count = load<u32>(cfg + 136);
  for (let t: u32 = 0; t < count; t++) {
    const need = load<u32>(termMasks + 4 * t);
    if ((need & present) != need) continue;
    const first = load<u32>(terms + 8 * t);
    const n = load<u32>(terms + 8 * t + 4);
    let all = true;
    for (let j: u32 = 0; j < n && all; j++) {
      const li = <usize>load<u32>(termLits + 4 * (first + j));
      let state = load<u8>(memo + li);
      if (state == 0) {
        const e = lits + 8 * li;
        state = contains(low, from, to, <usize>load<u32>(e), <usize>load<u32>(e + 4)) ? 1 : 2;
        store<u8>(memo + li, state);
      }
      all = state == 1;
    }
    if (all) return true;
  }
  return false;
}

/** The candidate mask of the 16 fingerprint positions from low[i] (bit b: bucket b). */
@inline function teddy(cfg: usize, low: usize, i: usize): v128 {
  const nib = i8x16.splat(0x0f);
  const c0 = v128.load(low + i);
  const c1 = v128.load(low + i + 1);
  const c2 = v128.load(low + i + 2);
  let m = v128.and(i8x16.swizzle(v128.load(cfg), v128.and(c0, nib)), i8x16.swizzle(v128.load(cfg + 16), i8x16.shr_u(c0, 4)));
  m = v128.and(m, v128.and(i8x16.swizzle(v128.load(cfg + 32), v128.and(c1, nib)), i8x16.swizzle(v128.load(cfg + 48), i8x16.shr_u(c1, 4))));
  return v128.and(m, v128.and(i8x16.swizzle(v128.load(cfg + 64), v128.and(c2, nib)), i8x16.swizzle(v128.load(cfg + 80), i8x16.shr_u(c2, 4))));
}

/**
 * Needles of the buckets `buckets` whose fingerprint is at low[p]: each starts `d` bytes before
 * it (its fingerprint's offset). A start counts when it lies in [from, to) with the needle
 * ending by `to`. Returns the smallest such start (or -1) and, through `mask` at cfg + 200, ORs
 * in bit j for every needle j (below 32) found.
 */
function verify(cfg: usize, low: usize, p: usize, from: usize, to: usize, buckets: u32): i64 {
  const table = <usize>load<u32>(cfg + 132);
  let best: i64 = -1;
  let mask = load<u32>(cfg + 200);
  while (buckets != 0) {
    const b = ctz(buckets);
    buckets &= buckets - 1;
    const end = load<u32>(cfg + 96 + 4 * (b + 1));
    for (let j = load<u32>(cfg + 96 + 4 * b); j < end; j++) {
      const e = table + 12 * j;
      const d = <usize>load<u32>(e + 8);
      if (p < from + d) continue;
      const s = p - d;
      const len = <usize>load<u32>(e + 4);
      if (s + len > to || !eqBytes(low + s, <usize>load<u32>(e), len)) continue;
      if (best < 0 || <i64>s < best) best = <i64>s;
      if (j < 32) mask |= (<u32>1) << j;
    }
  }
  store<u32>(cfg + 200, mask);
  return best;
}

/**
 * The leftmost needle start in low[from, to) found through fingerprints at positions from
 * `from` on, or -1. Once one is found at s, fingerprints up to s + maxD can still belong to a
 * needle starting before s; past that none can. `all`: scan every fingerprint up to `to` +
 * maxD instead (to collect the needles of a line in the mask at cfg + 200).
 */
function scanFrom(cfg: usize, low: usize, from: usize, to: usize, all: bool): i64 {
  const maxD = <usize>load<u32>(cfg + 196);
  const zero = i8x16.splat(0);
  let best: i64 = -1;
  let stop = to;
  for (let i = from; i < stop; i += 16) {
    const m = teddy(cfg, low, i);
    if (!v128.any_true(m)) continue;
    let bits = i8x16.bitmask(i8x16.ne(m, zero));
    v128.store(cfg + 160, m);
    while (bits != 0) {
      const k = <usize>ctz(bits);
      bits &= bits - 1;
      const p = i + k;
      if (p >= stop) break;
      const s = verify(cfg, low, p, from, to, <u32>load<u8>(cfg + 160 + k));
      if (s >= 0 && (best < 0 || s < best)) {
        best = s;
        if (!all) stop = min(stop, <usize>s + maxD + 1);
      }
    }
  }
  return best;
}

/** The needles (bit j: needle j, below 32) that start in low[from, to). */
function needlesIn(cfg: usize, low: usize, from: usize, to: usize): u32 {
  store<u32>(cfg + 200, 0);
  scanFrom(cfg, low, from, to, true);
  return load<u32>(cfg + 200);
}

/** The offset of the first LF at or after `from` in low[0, n), or n. */
function lineEnd(low: usize, from: usize, n: usize): usize {
  const lf = i8x16.splat(0x0a);
  let i = from;
  for (; i + 16 <= n; i += 16) {
    const bits = i8x16.bitmask(i8x16.eq(v128.load(low + i), lf));
    if (bits != 0) return i + <usize>ctz(bits);
  }
  for (; i < n; i++) if (load<u8>(low + i) == 0x0a) return i;
  return n;
}

/** The start of the line holding low[at], not before `floor`. */
function lineStart(low: usize, at: usize, floor: usize): usize {
  let i = at;
  while (i > floor && load<u8>(low + i - 1) != 0x0a) i--;
  return i;
}

/**
 * Scans hay[0, n) (lower-cased into `low`, which needs n + 64 bytes): writes to `out` (u32
 * each, room for one per line) the offset of the first needle of each line that has one and,
 * with terms, holds every literal of some term; returns how many it wrote.
 */
export function find(cfg: usize, hay: usize, n: usize, low: usize, out: usize): u32 {
  lowerAll(hay, low, n);
  const noTerms = load<u32>(cfg + 148) != 0;
  const single = <usize>load<u32>(cfg + 180);
  let count: u32 = 0;
  let floor: usize = 0;
  while (floor < n) {
    store<u32>(cfg + 200, 0);
    const s = scanFrom(cfg, low, floor, n, false);
    if (s < 0) break;
    const at = <usize>s;
    const le = lineEnd(low, at, n);
    // The needle found first decides `single` only when it is the only one at `at`.
    const found = load<u32>(cfg + 200);
    const one = load<u32>(cfg + 128) <= 32 && found != 0 && (found & (found - 1)) == 0 && load<u8>(single + ctz(found)) != 0;
    if (noTerms || one || termsIn(cfg, low, lineStart(low, at, floor), le, needlesIn(cfg, low, at, le))) {
      store<u32>(out + 4 * count, <u32>at);
      count++;
    }
    floor = le + 1;
  }
  return count;
}

const HASH: u8 = 0x23;
/** Event kinds of `lines` (high bit of an event's second word). */
const DROPPED_HEAD: u32 = 0x80000000;

/**
 * The line walk of the log splitter over hay[0, n), a run of whole lines (LF-separated; the
 * last ends at n). A line is kept when it starts with `#` (a directive) or holds a hit of
 * `find`; a dropped line whose first 13 bytes (`YYYY-MM-DD?HH`) differ from `head` (13 bytes,
 * updated) is reported too, when 13 bytes follow its start within `avail` (hay holds that
 * many bytes past n). Writes to `events` three u32 per reported line: its index, its start
 * (| DROPPED_HEAD for a dropped line), its end; `hits` needs room for one u32 per line.
 * Returns the number of events; the number of lines is left at cfg + 192.
 */
export function lines(cfg: usize, hay: usize, n: usize, avail: usize, low: usize, hits: usize, events: usize, head: usize): u32 {
  const nh = find(cfg, hay, n, low, hits);
  let h: u32 = 0;
  let count: u32 = 0;
  let li: u32 = 0;
  let ls: usize = 0;
  while (true) {
    const le = lineEnd(low, ls, n);
    while (h < nh && <usize>load<u32>(hits + 4 * h) < ls) h++;
    const kept = load<u8>(hay + ls) == HASH || (h < nh && <usize>load<u32>(hits + 4 * h) < le);
    let report = kept;
    if (!kept && avail >= ls + 13 && !eqBytes(hay + ls, head, 13)) {
      memory.copy(head, hay + ls, 13);
      report = true;
    }
    if (report) {
      const e = events + 12 * count;
      store<u32>(e, li);
      store<u32>(e + 4, <u32>ls | (kept ? 0 : DROPPED_HEAD));
      store<u32>(e + 8, <u32>le);
      count++;
    }
    li++;
    if (le >= n) break;
    ls = le + 1;
  }
  store<u32>(cfg + 192, li);
  return count;
}
