/**
 * Streaming line reader: bytes in, decoded lines with 1-based numbers out, in constant memory.
 *
 * - Encoding: a BOM selects UTF-8, UTF-16LE or UTF-16BE (UTF-16 is transcoded to UTF-8 as it
 *   streams); without a BOM the input is read as UTF-8.
 * - Lines end at LF; a CR before it is dropped. The last line needs no LF.
 * - Hot path: works on Buffers, finds LFs with `indexOf`, checks a whole chunk for NULs and
 *   UTF-8 validity at once and only looks at single lines when the chunk is dirty.
 * - Pre-screen (`needles`, `needleTerms`): searched in the raw bytes of the chunk first
 *   (needle-scan.ts); a line without a hit is counted and dropped without being decoded, and
 *   its first 13 bytes are compared with the last dropped line's so that coverage hears of
 *   each new hour. Directives (`#...`) always pass, so `#Fields` changes are never missed; a
 *   line across chunks is screened whole once complete.
 * - Bad input never stops the read: of a line over `maxLineBytes` only the first `maxLineBytes`
 *   (cut at a character boundary) are kept and read — the rest is never buffered, and the line
 *   reaches the parser marked `cut` — a line with NUL bytes is skipped as binary, a line that is not valid UTF-8 is
 *   decoded as Latin-1 (mixed encodings) and kept. Each is reported with file:line — the first
 *   few of each kind one by one, the rest as one summary at the end of the file.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { ParseIssue } from '../types.js';
import type { ParseStats } from './types.js';
import { needleScan, type NeedleFinder } from './needle-scan.js';

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
const REPORT_EACH = 5;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;

export type TextEncodingName = 'utf8' | 'utf16le' | 'utf16be';

/** The encoding a byte-order mark announces, and the BOM's length (0: none, read as UTF-8). */
export function detectBom(head: Buffer): { encoding: TextEncodingName; bomLength: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf8', bomLength: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bomLength: 2 };
  return { encoding: 'utf8', bomLength: 0 };
}

/** Decodes the start of a file (BOM aware) for header sniffing; invalid bytes become U+FFFD. */
export function decodeHead(head: Buffer): string {
  const { encoding, bomLength } = detectBom(head);
  const body = head.subarray(bomLength);
  if (encoding === 'utf8') return body.toString('utf8');
  return new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(body);
}

/** Yields the input as UTF-8 bytes without a BOM, whatever the BOM announced. */
export async function* toUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head: Buffer | null = Buffer.alloc(0);
  let decoder: TextDecoder | null = null;
  for await (const chunk of chunks) {
    let data = chunk;
    if (head) {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.length < 3) continue;
      const { encoding, bomLength } = detectBom(head);
      if (encoding !== 'utf8') decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
      data = head.subarray(bomLength);
      head = null;
    }
    if (decoder) yield Buffer.from(decoder.decode(data, { stream: true }), 'utf8');
    else if (data.length > 0) yield data;
  }
  if (head && head.length > 0) {
    const { encoding, bomLength } = detectBom(head);
    const rest = head.subarray(bomLength);
    if (encoding === 'utf8') yield rest;
    else yield Buffer.from(decodeHead(head), 'utf8');
  } else if (decoder) {
    const tail = decoder.decode();
    if (tail) yield Buffer.from(tail, 'utf8');
  }
}

export interface LineSplitterOptions {
  readonly path: string;
  readonly onIssue: (issue: ParseIssue) => void;
  readonly stats: ParseStats;
  readonly maxLineBytes?: number;
  readonly prefilter?: (line: Buffer) => boolean;
  /** ASCII literals: a data line is kept only if it contains one (any case); `[]` keeps none. */
  readonly needles?: readonly string[];
  /** With `needles`: a line with a needle is kept only if it holds every literal of a term. */
  readonly needleTerms?: readonly (readonly string[])[];
  /**
   * Receives each kept line, decoded, without its line ending. `cut`: the line was longer than
   * `maxLineBytes` and this is its head only.
   */
  readonly onLine: (text: string, lineNo: number, cut: boolean) => void;
  /**
   * Called for a line dropped by `needles`/`prefilter` whose first 13 bytes (a timestamp's
   * `YYYY-MM-DD?HH`) differ from the previous dropped line's: lets coverage see the hours.
   */
  readonly onDropped?: (head: string, lineNo: number) => void;
}

type IssueKind = 'long' | 'binary' | 'encoding';
const KIND_TEXT: Record<IssueKind, string> = {
  long: 'line(s) longer than the limit: the head of each read, the rest skipped',
  binary: 'line(s) with binary data (NUL bytes), skipped',
  encoding: 'line(s) not valid UTF-8, read as Latin-1',
};

/** Push UTF-8 chunks in, get lines out through `onLine`. Call `end()` after the last chunk. */
export class LineSplitter {
  private readonly max: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflow = false;
  private lineNo = 0;
  private readonly counts: Record<IssueKind, number> = { long: 0, binary: 0, encoding: 0 };
  private readonly firstLines: Record<IssueKind, number[]> = { long: [], binary: [], encoding: [] };
  /** The byte-level needle search (needle-scan.ts); null without `needles`. */
  private readonly needles: NeedleFinder | null;
  /** Offsets (into the current chunk) where a needle starts, ascending; `hitAt` walks it. */
  private hits: number[] = [];
  private hitAt = 0;
  private lastDroppedHead = Buffer.alloc(13);

  constructor(private readonly opts: LineSplitterOptions) {
    this.max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    // No literal at all (no rule applies) finds no hit: every data line is dropped.
    this.needles = opts.needles === undefined ? null : needleScan(opts.needles, opts.needleTerms);
  }

  push(chunk: Buffer): void {
    this.opts.stats.bytes += chunk.length;
    let start = 0;
    let nl = chunk.indexOf(LF);
    if (nl === -1) {
      this.hold(chunk);
      return;
    }
    if (this.pendingBytes > 0 || this.overflow) {
      this.hold(chunk.subarray(0, nl));
      this.flushPending();
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    const lastNl = chunk.lastIndexOf(LF);
    if (nl !== -1) {
      const region = chunk.subarray(start, lastNl);
      const clean = region.indexOf(0) === -1 && isUtf8(region);
      if (this.needles?.lines && !this.opts.prefilter) {
        this.walk(chunk, start, lastNl, clean);
        start = lastNl + 1;
        nl = -1;
      } else if (this.needles) this.findHits(chunk, start, lastNl);
      while (nl !== -1) {
        if (this.needles && !this.hitIn(chunk, start, nl)) this.drop(chunk, start);
        else this.emit(chunk, start, nl, clean);
        start = nl + 1;
        nl = chunk.indexOf(LF, start);
      }
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  end(): void {
    if (this.pendingBytes > 0 || this.overflow) this.flushPending();
    for (const kind of ['long', 'binary', 'encoding'] as const) {
      const n = this.counts[kind];
      if (n > REPORT_EACH) {
        this.opts.onIssue({
          path: this.opts.path,
          line: null,
          message: `${n} ${KIND_TEXT[kind]} (first at lines ${this.firstLines[kind].join(', ')})`,
        });
      }
    }
  }

  private hold(part: Buffer): void {
    if (this.overflow) return;
    if (this.pendingBytes + part.length > this.max) {
      // Keep the head up to the limit; the rest of the line is never buffered.
      this.overflow = true;
      const room = this.max - this.pendingBytes;
      if (room > 0) this.pending.push(Buffer.from(part.subarray(0, room)));
      this.pendingBytes += Math.max(0, room);
      return;
    }
    // Copy: the producer may reuse its chunk buffer.
    this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
  }

  private flushPending(): void {
    const line = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    if (this.overflow) {
      this.overflow = false;
      this.emitHead(line, 0, line.length);
    } else {
      if (this.needles) this.findHits(line, 0, line.length);
      if (this.needles && !this.hitIn(line, 0, line.length)) this.drop(line, 0);
      else this.emit(line, 0, line.length, false);
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  /**
   * The lines of buf[start, end) (whole lines, the last ending at `end`) in one pass of the
   * needle engine: only kept lines and dropped lines with a new time head come back; the
   * others are counted in bulk. Same results as the line-by-line loop of `push`.
   */
  private walk(buf: Buffer, start: number, end: number, clean: boolean): void {
    const w = this.needles!.lines!(buf, start, end, this.lastDroppedHead);
    const ev = w.events;
    const onDropped = this.opts.onDropped;
    let next = 0;
    for (let e = 0; e < w.dropped.length; e++) {
      const li = ev[3 * e]!;
      const ls = ev[3 * e + 1]!;
      this.countDropped(li - next);
      next = li + 1;
      if (w.dropped[e] === 0) {
        this.emit(buf, ls, ev[3 * e + 2]!, clean);
        continue;
      }
      this.countDropped(1);
      onDropped?.(buf.toString('latin1', ls, Math.min(buf.length, ls + 40)), this.lineNo);
    }
    this.countDropped(w.lines - next);
  }

  private countDropped(n: number): void {
    this.lineNo += n;
    this.opts.stats.lines += n;
    this.opts.stats.filtered += n;
  }

  /** Where needles occur in buf[start, end), one per line, ascending (see needle-scan.ts). */
  private findHits(buf: Buffer, start: number, end: number): void {
    this.needles!.find(buf, start, end, this.hits);
    this.hitAt = 0;
  }

  /** Whether a hit falls in the line [start, end); directives always count as hit. */
  private hitIn(buf: Buffer, start: number, end: number): boolean {
    const hits = this.hits;
    while (this.hitAt < hits.length && hits[this.hitAt]! < start) this.hitAt++;
    return buf[start] === HASH || (this.hitAt < hits.length && hits[this.hitAt]! < end);
  }

  /** A line the needles ruled out: counted, and its time head offered once per change. */
  private drop(buf: Buffer, start: number): void {
    this.lineNo++;
    this.opts.stats.lines++;
    this.opts.stats.filtered++;
    const onDropped = this.opts.onDropped;
    if (!onDropped || buf.length - start < 13) return;
    // Compared in JS from the hour backwards: a native compare per line costs more.
    const last = this.lastDroppedHead;
    let k = 12;
    while (k >= 0 && buf[start + k] === last[k]) k--;
    if (k < 0) return;
    buf.copy(last, 0, start, start + 13);
    onDropped(buf.toString('latin1', start, Math.min(buf.length, start + 40)), this.lineNo);
  }

  private emit(buf: Buffer, start: number, end: number, clean: boolean, cut = false): void {
    this.lineNo++;
    this.opts.stats.lines++;
    if (end > start && buf[end - 1] === CR) end--;
    if (end - start > this.max) {
      this.lineNo--;
      this.opts.stats.lines--;
      this.emitHead(buf, start, start + this.max);
      return;
    }
    const filter = this.opts.prefilter;
    if (filter && !cut && buf[start] !== HASH && end > start && !filter(buf.subarray(start, end))) {
      this.lineNo--;
      this.opts.stats.lines--;
      this.drop(buf, start);
      return;
    }
    let text: string;
    if (clean) {
      text = buf.toString('utf8', start, end);
    } else {
      const line = buf.subarray(start, end);
      if (line.indexOf(0) !== -1) {
        this.report('binary', 'binary data (NUL bytes) in line, skipped');
        return;
      }
      if (isUtf8(line)) {
        text = line.toString('utf8');
      } else {
        this.report('encoding', 'line is not valid UTF-8, read as Latin-1', false);
        text = line.toString('latin1');
      }
    }
    this.opts.onLine(text, this.lineNo, cut);
  }

  /**
   * The head (`buf[start, end)`, at most `max` bytes) of a line longer than the limit: cut
   * back to a UTF-8 character boundary, reported, and read like any line — never screened
   * out, since what made it long may be what a rule looks for.
   */
  private emitHead(buf: Buffer, start: number, end: number): void {
    let e = end;
    // Step back over an incomplete UTF-8 sequence at the cut (continuation bytes 10xxxxxx).
    let k = 0;
    while (k < 3 && e - k - 1 >= start && (buf[e - k - 1]! & 0xc0) === 0x80) k++;
    if (e - k - 1 >= start && buf[e - k - 1]! >= 0xc0) e = e - k - 1;
    this.emit(buf, start, e, false, true);
    this.report('long', `line longer than ${this.max} bytes: its first ${e - start} bytes read, the rest skipped`, false);
  }

  private report(kind: IssueKind, message: string, skipped = true): void {
    if (skipped) this.opts.stats.skipped++;
    const n = ++this.counts[kind];
    if (n <= REPORT_EACH) {
      this.firstLines[kind].push(this.lineNo);
      this.opts.onIssue({ path: this.opts.path, line: this.lineNo, message });
    }
  }
}

export interface TextLine {
  readonly no: number;
  readonly text: string;
}

/** Convenience: every kept line of a byte stream (any supported encoding), batched per chunk. */
export async function* readLines(
  chunks: AsyncIterable<Buffer>,
  opts: Omit<LineSplitterOptions, 'onLine'>,
): AsyncGenerator<TextLine> {
  let batch: TextLine[] = [];
  const splitter = new LineSplitter({ ...opts, onLine: (text, no) => batch.push({ no, text }) });
  for await (const chunk of toUtf8(chunks)) {
    splitter.push(chunk);
    const out = batch;
    batch = [];
    yield* out;
  }
  splitter.end();
  yield* batch;
}
