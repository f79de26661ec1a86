/**
 * Log parsing entry point: `openLog` streams the `LogRecord`s of one log file (plain, `.gz`,
 * or each member of a `.zip`), detecting the family from the header and folder unless given.
 * Records carry file + line; problems go to `onIssue` and never stop the read; counters go to
 * the caller's `ParseStats`. Field names per family are documented in `w3c.ts` (IIS),
 * `exchange-csv.ts` (HttpProxy, ECP, Rps) and `oab.ts`.
 */
import type { LogFamily, LogRecord } from '../types.js';
import { detectLogKind } from './detect.js';
import { ExchangeCsvParser } from './exchange-csv.js';
import { LineSplitter, toUtf8 } from './line-reader.js';
import { OabParser } from './oab.js';
import { openByteSources, type ByteSource } from './sources.js';
import { createParseStats, type LineParser, type OpenLogOptions, type ParserContext } from './types.js';
import { W3cParser } from './w3c.js';

export { detectLogKind, familyFromPath } from './detect.js';
export { createParseStats, type LineScreen, type OpenLogOptions, type ParseStats } from './types.js';
export { readLines, DEFAULT_MAX_LINE_BYTES } from './line-reader.js';
export { createReadBuffers, type ReadBuffers } from './sources.js';

const SNIFF_BYTES = 8192;

export function createParser(family: LogFamily, ctx: ParserContext): LineParser {
  switch (family) {
    case 'iis':
      return new W3cParser(ctx);
    case 'oab':
      return new OabParser(ctx);
    default:
      return new ExchangeCsvParser(ctx, family);
  }
}

/** Reads the first `n` bytes (or all, if shorter) and returns them with an iterable of everything. */
async function peek(chunks: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = chunks[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    seen.push(r.value);
    size += r.value.length;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  const first = seen[0];
  const head = seen.length === 1 && first ? first.subarray(0, n) : Buffer.concat(seen).subarray(0, n);
  return { head, all: all() };
}

/** The records of a byte stream, a chunk's worth at a time. */
async function* parseChunks(chunks: AsyncIterable<Buffer>, family: LogFamily, ctx: ParserContext, opts: OpenLogOptions): AsyncGenerator<LogRecord[]> {
  const parser = createParser(family, ctx);
  let out: LogRecord[] = [];
  const onDroppedTime = opts.onDroppedTime;
  const screen = opts.lineScreen ? opts.lineScreen(family) : null;
  const needles = opts.lineScreen ? screen?.needles : typeof opts.needles === 'function' ? opts.needles(family) : opts.needles;
  const splitter = new LineSplitter({
    path: ctx.path,
    onIssue: ctx.onIssue,
    stats: ctx.stats,
    ...(opts.maxLineBytes !== undefined ? { maxLineBytes: opts.maxLineBytes } : {}),
    ...(opts.prefilter ? { prefilter: opts.prefilter } : {}),
    ...(needles ? { needles } : {}),
    ...(screen ? { needleTerms: screen.terms } : {}),
    ...(onDroppedTime
      ? {
          onDropped: (head: string) => {
            const time = parser.timeOfHead(head);
            if (time) onDroppedTime(time, ctx.path, family);
          },
        }
      : {}),
    onLine: (text, no, cut) => {
      const r = parser.line(text, no, cut);
      if (r) {
        out.push(r);
        const q = parser.takeQueued?.();
        if (q) out.push(q);
      }
    },
  });
  for await (const chunk of toUtf8(chunks)) {
    splitter.push(chunk);
    if (out.length > 0) {
      const batch = out;
      out = [];
      yield batch;
    }
  }
  splitter.end();
  const last = parser.end();
  if (last) out.push(last);
  if (out.length > 0) yield out;
}

async function* parseSource(src: ByteSource, absPath: string, opts: OpenLogOptions, ctxBase: Omit<ParserContext, 'path'>): AsyncGenerator<LogRecord[]> {
  const { head, all } = await peek(src.chunks, SNIFF_BYTES);
  ctxBase.stats.files++;
  const family = opts.family ?? detectLogKind(absPath, src.displayPath, head);
  if (!family) {
    src.discard();
    if (head.length > 0) {
      ctxBase.onIssue({ path: src.displayPath, line: null, message: 'not a supported log (no known header or folder), skipped' });
    }
    return;
  }
  const ctx: ParserContext = { ...ctxBase, path: src.displayPath };
  yield* parseChunks(all, family, ctx, opts);
}

/**
 * Streams the records of one log file. `absPath` is read; `displayPath` (with `/`) is what
 * records and issues name (`archive.zip!member` for archive members). Never throws for bad
 * input: a missing or unreadable file is one issue and no records.
 */
export async function* openLog(absPath: string, displayPath: string, opts: OpenLogOptions): AsyncGenerator<LogRecord> {
  for await (const batch of openLogBatches(absPath, displayPath, opts)) yield* batch;
}

/**
 * `openLog` a read chunk's records at a time (never an empty batch), for callers that take
 * many: each step of an async generator costs a promise and a result object per layer, and
 * one per record through three layers was a tenth of a raw log hunt's allocations.
 */
export async function* openLogBatches(absPath: string, displayPath: string, opts: OpenLogOptions): AsyncGenerator<LogRecord[]> {
  const ctxBase = { onIssue: opts.onIssue, stats: opts.stats ?? createParseStats() };
  for await (const src of openByteSources(absPath, displayPath, opts.onIssue, opts.readBuffers)) {
    yield* parseSource(src, absPath, opts, ctxBase);
  }
}
