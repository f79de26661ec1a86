/**
 * The byte-level line pre-screen behind the parsers' `needles` option: where ASCII literals
 * occur in raw UTF-8 bytes, one hit per line, before any line is split out or decoded.
 *
 * Case: ASCII folding only (`A`–`Z` = `a`–`z`). The needles are ASCII; the bytes are read as
 * Latin-1 (one character per byte, so string offsets are byte offsets), and a byte ≥ 0x80 never
 * matches an ASCII needle character under a non-Unicode `/i` regex (ECMAScript Canonicalize
 * keeps non-ASCII characters from folding into ASCII). A UTF-8 line therefore hits exactly when
 * its bytes contain a needle in some ASCII case.
 *
 * Speed: the bytes are decoded and searched in windows of about 64 KiB cut at line ends. Small
 * strings live and die in V8's young generation; a 1 MiB string per chunk goes to the large
 * object space and costs fresh pages on every chunk (measured 3× slower on 100 MB of logs).
 */

const LF = 0x0a;
const WINDOW = 64 * 1024;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class NeedleScan {
  /** One case-insensitive alternation of the escaped literals; null: no literal, no hit. */
  private readonly re: RegExp | null;
  /** Terms (lower-case ASCII), fewest literals first; null: a needle alone keeps a line. */
  private readonly terms: readonly (readonly string[])[] | null;
  /** The literals of one-literal terms: a line whose first needle is one of them is kept. */
  private readonly single: ReadonlySet<string>;

  constructor(needles: readonly string[], terms?: readonly (readonly string[])[]) {
    const lits = needles.filter((n) => n !== '');
    // Longest first: the alternation then reports the most specific literal (only a gate).
    lits.sort((a, b) => b.length - a.length);
    this.re = lits.length === 0 ? null : new RegExp(lits.map(escapeRe).join('|'), 'gi');
    this.terms = terms ? [...terms].sort((a, b) => a.length - b.length) : null;
    this.single = new Set((terms ?? []).filter((t) => t.length === 1).map((t) => t[0] as string));
  }

  /**
   * Offsets in buf[start, end) where a needle starts: the first hit of each line that has one
   * (and, with terms, every literal of some term), ascending. A hit never spans a line end
   * (needles hold no LF). `out` is cleared and filled.
   */
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
        if (this.termsIn(hay, m[0], m.index, nl === -1 ? hay.length : nl)) out.push(w + m.index);
        if (nl === -1) break;
        re.lastIndex = nl + 1;
      }
      w = wEnd;
    }
  }

  /** Whether the line of a needle hit at `at` (up to `lineEnd`) holds a whole term. */
  private termsIn(hay: string, hit: string, at: number, lineEnd: number): boolean {
    const terms = this.terms;
    if (terms === null) return true;
    const lower = hit.toLowerCase();
    if (this.single.has(lower)) return true;
    // A slice of the window costs no copy; Latin-1 lower-casing never makes an ASCII letter.
    const line = hay.slice(hay.lastIndexOf('\n', at) + 1, lineEnd).toLowerCase();
    for (const t of terms) {
      let all = true;
      for (const p of t) {
        if (line.indexOf(p) === -1) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
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
