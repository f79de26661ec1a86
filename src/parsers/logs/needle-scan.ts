/**
 * The byte-level line pre-screen behind the parsers' `needles` option: where ASCII literals
 * occur in raw UTF-8 bytes, one hit per line, before any line is split out or decoded.
 *
 * Needles are ASCII (needles.ts cuts rule literals at any other character). Contract of
 * `find` (both engines): the offset of the leftmost needle of each line that has
 * one — and, with terms, holds every literal of some term — ascending. Case: ASCII folding
 * only (`A`–`Z` = `a`–`z`); a byte ≥ 0x80 never matches, so a UTF-8 line hits exactly when its
 * bytes contain a needle in some ASCII case. Needles hold no LF, so a hit never spans lines.
 *
 * Two engines, same answers (tested against each other on generated input):
 * - `WasmNeedleScan` (default where WebAssembly SIMD runs): needle-scan.wasm, built from
 *   wasm/needle-scan.ts — ~4× faster than the regex on IIS logs (bench/RESULTS.md).
 * - `JsNeedleScan`: one case-insensitive regex alternation over Latin-1 windows of ~64 KiB
 *   (one character per byte, so string offsets are byte offsets; a 1 MiB string per chunk
 *   would go to V8's large-object space, measured 3× slower).
 */
import { readFileSync } from 'node:fs';

const LF = 0x0a;
const WINDOW = 64 * 1024;

export interface NeedleFinder {
  /** Fills `out` (cleared first) with hit offsets in buf[start, end), see the module doc. */
  find(buf: Buffer, start: number, end: number, out: number[]): void;
  /** The whole line walk of a run of lines at once, where the engine has it (`LineWalk`). */
  lines?(buf: Buffer, start: number, end: number, head: Buffer): LineWalk;
}

/**
 * The line walk of buf[start, end), whole LF-separated lines (the last ends at `end`): how many
 * lines there are, and the lines to act on, in order — kept ones (a `#` directive or a line
 * with a hit) and dropped ones whose first 13 bytes differ from `head` (the last such head,
 * updated in place; compared only where 13 bytes of `buf` follow the line's start).
 */
export interface LineWalk {
  readonly lines: number;
  /** Three numbers per line: its index in the run, its start in `buf`, its end (its LF). */
  readonly events: Uint32Array;
  /** Per event: 1 for a dropped line with a new head, 0 for a kept line. */
  readonly dropped: Uint8Array;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The distinct non-empty needles, lower-cased. */
function cleanNeedles(needles: readonly string[]): string[] {
  return [...new Set(needles.filter((n) => n !== '').map((n) => n.toLowerCase()))];
}

export class JsNeedleScan implements NeedleFinder {
  /** One case-insensitive alternation of the escaped literals; null: no literal, no hit. */
  private readonly re: RegExp | null;
  /** Terms (lower-case ASCII), fewest literals first; null: a needle alone keeps a line. */
  private readonly terms: readonly (readonly string[])[] | null;

  constructor(needles: readonly string[], terms?: readonly (readonly string[])[]) {
    const lits = cleanNeedles(needles);
    // Longest first: at the leftmost position the alternation takes the longest needle.
    lits.sort((a, b) => b.length - a.length);
    this.re = lits.length === 0 ? null : new RegExp(lits.map(escapeRe).join('|'), 'gi');
    this.terms = terms ? [...terms].map((t) => t.map((l) => l.toLowerCase())).sort((a, b) => a.length - b.length) : null;
  }

  find(buf: Buffer, start: number, end: number, out: number[]): void {
    out.length = 0;
    const re = this.re;
    if (re === null) return;
    let w = start;
    while (w < end) {
      const wEnd = windowEnd(buf, w, end);
      const hay = buf.toString('latin1', w, wEnd);
      re.lastIndex = 0;
      for (let m = re.exec(hay); m !== null; m = re.exec(hay)) {
        // One hit per line is enough: go on from the next line.
        const nl = hay.indexOf('\n', m.index);
        if (this.termsIn(hay, m.index, nl === -1 ? hay.length : nl)) out.push(w + m.index);
        if (nl === -1) break;
        re.lastIndex = nl + 1;
      }
      w = wEnd;
    }
  }

  /** Whether the line of a needle hit at `at` (up to `lineEnd`) holds a whole term. */
  private termsIn(hay: string, at: number, lineEnd: number): boolean {
    const terms = this.terms;
    if (terms === null) return true;
    // Latin-1 lower-casing never makes an ASCII letter out of another byte.
    const line = hay.slice(hay.lastIndexOf('\n', at) + 1, lineEnd).toLowerCase();
    return terms.some((t) => t.every((p) => line.includes(p)));
  }
}

/** The end of the window from `w`: just after the last LF within ~WINDOW bytes, never past `end`. */
function windowEnd(buf: Buffer, w: number, end: number): number {
  if (end - w <= WINDOW) return end;
  const nl = buf.lastIndexOf(LF, w + WINDOW - 1);
  if (nl >= w) return nl + 1;
  // A line longer than the window: the window is that whole line.
  const next = buf.indexOf(LF, w + WINDOW);
  return next === -1 || next >= end ? end : next + 1;
}

interface WasmExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  find(cfg: number, hay: number, n: number, low: number, out: number): number;
  lines(cfg: number, hay: number, n: number, avail: number, low: number, hits: number, events: number, head: number): number;
}

/** High bit of an event's start in `lines`: a dropped line with a new head. */
const DROPPED_HEAD = 0x80000000;

/** needle-scan.wasm compiled once per thread; null where WebAssembly SIMD is not available. */
let wasmModule: WebAssembly.Module | null | undefined;

function loadWasm(): WebAssembly.Module | null {
  if (wasmModule === undefined) {
    try {
      const bytes = readFileSync(new URL('./needle-scan.wasm', import.meta.url));
      wasmModule = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      wasmModule = null;
    }
  }
  return wasmModule;
}

const BUCKETS = 8;
/** Bytes past a run copied for the head compares of its last lines (13 needed). */
const TAIL = 16;
const PAGE = 65536;
const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/**
 * Text every Exchange server's logs are full of: a needle's fingerprint (the three bytes the
 * SIMD scan looks for first) is taken from a part of it that does not occur here, so that
 * common URL and user-agent pieces (`/owa/`, `autodiscover`, `server`) raise few candidates.
 * From the log formats Microsoft documents and the stock virtual directories and clients.
 */
const COMMON_TEXT = [
  '/owa/ /ecp/ /ews/exchange.asmx /mapi/emsmdb /mapi/nspi /autodiscover/autodiscover.xml',
  '/microsoft-server-activesync /rpc/rpcproxy.dll /oab/ /powershell /api/ /aspnet_client/',
  'mozilla/5.0 (windows nt 10.0; win64; x64) applewebkit/537.36 (khtml, like gecko) chrome/ safari/ edg/ firefox/',
  'microsoft office outlook exchangeservicesclient msexchange server mailbox authentication anonymous',
  'get post head options 200 302 401 403 404 440 500 http https localhost health check serverinfo',
  'request requestid response routing target backend cookie anchormailbox latency',
].join(' ');

/** Rough frequency of a byte in log text (higher: more common), for fingerprint ties:
 * digits, dots, colons and dashes fill every timestamp, address and version. */
function byteWeight(c: number): number {
  const ch = String.fromCharCode(c);
  if ('etaoinsr/ 0123456789.:-'.includes(ch)) return 9;
  if ('hldcum,+'.includes(ch)) return 7;
  if ('fpgwyb_='.includes(ch)) return 5;
  if ('vk&%'.includes(ch)) return 3;
  return 1;
}

/** Where a needle's fingerprint starts: the 3-byte window least likely in ordinary logs. */
export function fingerprintOffset(needle: string): number {
  let best = 0;
  let bestScore = Infinity;
  for (let d = 0; d + 3 <= needle.length; d++) {
    const w = needle.slice(d, d + 3);
    const score = (COMMON_TEXT.includes(w) ? 100 : 0) + byteWeight(w.charCodeAt(0)) + byteWeight(w.charCodeAt(1)) + byteWeight(w.charCodeAt(2));
    if (score < bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

/** The configuration block of wasm/needle-scan.ts (layout documented there). */
function writeConfig(ex: WasmExports, needles: readonly string[], terms: readonly (readonly string[])[] | null): { cfg: number; base: number } {
  // Needles sorted by their fingerprints share buckets with their likes (fewer false candidates).
  const offset = new Map(needles.map((n) => [n, fingerprintOffset(n)]));
  const key = (n: string): string => {
    const d = offset.get(n) ?? 0;
    return `${n.slice(d, d + 3)}\u0000${n}`;
  };
  const lits = [...needles].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const per = Math.max(1, Math.ceil(lits.length / BUCKETS));
  const termLits = terms === null ? [] : [...new Set(terms.flat())];
  const litIndex = new Map(termLits.map((l, i) => [l, i]));
  const cfg = align(ex.heapBase(), 16);
  let at = cfg + 256;
  const take = (bytes: number): number => {
    const p = at;
    at += bytes;
    return p;
  };
  const needleTable = take(12 * lits.length);
  const termTable = take(8 * (terms?.length ?? 0));
  const termLitList = take(4 * (terms ?? []).reduce((n, t) => n + t.length, 0));
  const litTable = take(8 * termLits.length);
  const memo = take(termLits.length);
  const single = take(lits.length);
  const termMasks = take(4 * (terms?.length ?? 0));
  const litNeedle = take(4 * termLits.length);
  const strings = [...new Set([...lits, ...termLits])].map((s) => ({ s, at: take(s.length) }));
  const base = align(at, 64);
  if (base + PAGE > ex.memory.buffer.byteLength) ex.memory.grow(Math.ceil((base + PAGE - ex.memory.buffer.byteLength) / PAGE));
  const u8 = new Uint8Array(ex.memory.buffer);
  const dv = new DataView(ex.memory.buffer);
  const u32 = (p: number, v: number): void => dv.setUint32(p, v, true);
  for (const { s, at: p } of strings) u8.set(Buffer.from(s, 'latin1'), p);
  const ptrOf = new Map(strings.map((x) => [x.s, x.at]));
  let maxD = 0;
  lits.forEach((lit, j) => {
    const bit = 1 << Math.floor(j / per);
    const d = offset.get(lit) ?? 0;
    maxD = Math.max(maxD, d);
    for (let p = 0; p < 3; p++) {
      // Past a short needle's end any byte may follow.
      const nibbles = d + p < lit.length ? [lit.charCodeAt(d + p) & 15, lit.charCodeAt(d + p) >> 4] : null;
      for (let x = 0; x < 16; x++) {
        if (nibbles === null || x === nibbles[0]) u8[cfg + 32 * p + x]! |= bit;
        if (nibbles === null || x === nibbles[1]) u8[cfg + 32 * p + 16 + x]! |= bit;
      }
    }
    u32(needleTable + 12 * j, ptrOf.get(lit)!);
    u32(needleTable + 12 * j + 4, lit.length);
    u32(needleTable + 12 * j + 8, d);
    u8[single + j] = terms?.some((t) => t.length === 1 && t[0] === lit) === true ? 1 : 0;
  });
  for (let b = 0; b <= BUCKETS; b++) u32(cfg + 96 + 4 * b, Math.min(lits.length, b * per));
  let k = 0;
  (terms ?? []).forEach((t, i) => {
    u32(termTable + 8 * i, k);
    u32(termTable + 8 * i + 4, t.length);
    for (const l of t) u32(termLitList + 4 * k++, litIndex.get(l)!);
  });
  termLits.forEach((l, i) => {
    u32(litTable + 8 * i, ptrOf.get(l)!);
    u32(litTable + 8 * i + 4, l.length);
    u32(litNeedle + 4 * i, lits.indexOf(l) + 1);
  });
  // The needles a term's literals contain must all be in a line the term holds for.
  const masked = lits.length <= 32;
  (terms ?? []).forEach((t, i) => {
    let mask = 0;
    if (masked) lits.forEach((lit, j) => (mask |= t.some((l) => l.includes(lit)) ? 1 << j : 0));
    u32(termMasks + 4 * i, mask >>> 0);
  });
  u32(cfg + 132, needleTable);
  u32(cfg + 136, terms?.length ?? 0);
  u32(cfg + 140, termTable);
  u32(cfg + 144, termLitList);
  u32(cfg + 148, terms === null ? 1 : 0);
  u32(cfg + 152, litTable);
  u32(cfg + 156, termLits.length);
  u32(cfg + 176, memo);
  u32(cfg + 180, single);
  u32(cfg + 184, termMasks);
  u32(cfg + 196, maxD);
  u32(cfg + 188, litNeedle);
  return { cfg, base };
}

export class WasmNeedleScan implements NeedleFinder {
  private readonly ex: WasmExports;
  private readonly cfg: number;
  private readonly base: number;
  private readonly empty: boolean;

  constructor(module: WebAssembly.Module, needles: readonly string[], terms?: readonly (readonly string[])[]) {
    this.ex = new WebAssembly.Instance(module, {}).exports as unknown as WasmExports;
    const lits = cleanNeedles(needles);
    this.empty = lits.length === 0;
    const t = terms ? [...terms].map((x) => [...new Set(x.map((l) => l.toLowerCase()))]).sort((a, b) => a.length - b.length) : null;
    ({ cfg: this.cfg, base: this.base } = writeConfig(this.ex, lits, t));
  }

  find(buf: Buffer, start: number, end: number, out: number[]): void {
    out.length = 0;
    const n = end - start;
    if (this.empty || n <= 0) return;
    const at = this.layout(n);
    const mem = this.ex.memory;
    new Uint8Array(mem.buffer, at.hay, n).set(buf.subarray(start, end));
    const count = this.ex.find(this.cfg, at.hay, n, at.low, at.hits);
    const hits = new Uint32Array(mem.buffer, at.hits, count);
    for (let i = 0; i < count; i++) out.push(start + hits[i]!);
  }

  lines(buf: Buffer, start: number, end: number, head: Buffer): LineWalk {
    const n = end - start;
    const at = this.layout(n);
    const mem = this.ex.memory;
    // The bytes after the run too (at least its closing LF), for the head compares.
    const avail = Math.min(buf.length, end + TAIL) - start;
    new Uint8Array(mem.buffer, at.hay, avail).set(buf.subarray(start, start + avail));
    new Uint8Array(mem.buffer, at.head, 13).set(head.subarray(0, 13));
    const count = this.ex.lines(this.cfg, at.hay, n, buf.length - start, at.low, at.hits, at.events, at.head);
    const raw = new Uint32Array(mem.buffer, at.events, 3 * count);
    const events = new Uint32Array(3 * count);
    for (let i = 0; i < raw.length; i += 3) {
      events[i] = raw[i]!;
      events[i + 1] = start + (raw[i + 1]! & ~DROPPED_HEAD);
      events[i + 2] = start + raw[i + 2]!;
    }
    const lines = new DataView(mem.buffer).getUint32(this.cfg + 192, true);
    const dropped = new Uint8Array(count);
    for (let k = 0; k < count; k++) dropped[k] = raw[3 * k + 1]! & DROPPED_HEAD ? 1 : 0;
    Buffer.from(mem.buffer, at.head, 13).copy(head);
    return { lines, events, dropped };
  }

  /** Where a run of n bytes and its work areas go in the module's memory (grown as needed). */
  private layout(n: number): { hay: number; low: number; hits: number; events: number; head: number } {
    const hay = this.base;
    const low = hay + align(n + TAIL + 64, 64);
    const hits = low + align(n + 64, 64);
    const events = hits + align(4 * (n + 1), 64);
    const head = events + align(12 * (n + 1), 64);
    const need = head + 64;
    const mem = this.ex.memory;
    if (need > mem.buffer.byteLength) mem.grow(Math.ceil((need - mem.buffer.byteLength) / PAGE));
    return { hay, low, hits, events, head };
  }
}

/**
 * Engines by screen, one set per thread: a log's splitter asks for its family's screen once per
 * file, and a fresh WebAssembly instance (its memory grown to a chunk's size) per file would
 * cost more than the file's scan. A handful of screens exist (one per log family).
 */
const engines = new Map<string, NeedleFinder>();
const MAX_ENGINES = 16;

/** The pre-screen for `needles` (and `terms`): the WebAssembly engine where it runs. */
export function needleScan(needles: readonly string[], terms?: readonly (readonly string[])[]): NeedleFinder {
  const key = JSON.stringify([needles, terms ?? null]);
  let e = engines.get(key);
  if (e === undefined) {
    const module = loadWasm();
    e = module ? new WasmNeedleScan(module, needles, terms) : new JsNeedleScan(needles, terms);
    if (engines.size >= MAX_ENGINES) engines.delete(engines.keys().next().value as string);
    engines.set(key, e);
  }
  return e;
}
