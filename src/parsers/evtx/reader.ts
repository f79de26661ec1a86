/**
 * Public entry points: stream the records of an `.evtx` file in file order at constant
 * memory, one 64 KiB chunk at a time. Large files are decoded by a worker_threads pool
 * (`pool.ts`); small ones (and `readEvtxSync`) on the calling thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { EventRecord, ParseIssue } from '../types.js';
import { parseChunk } from './chunk.js';
import { toParseJson } from './event.js';
import { readFileHeader } from './file-header.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from './format.js';
import { runPool } from './pool.js';

export interface ReadEvtxOptions {
  onIssue?: (i: ParseIssue) => void;
  /** Worker threads for large files; 0 forces the single-thread path. Default 2. */
  workers?: number;
  /** Called after each block of `readEvtxJsonl` with the number of records in it (progress). */
  onRecords?: (count: number) => void;
}

/** Files with at most this many chunks are decoded on the calling thread. */
export const SMALL_FILE_CHUNKS = 4;

const ignore = (): void => undefined;

/** Reads up to `len` bytes at `pos` from a sync fd into a fresh buffer (shorter at EOF). */
function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got === len ? buf : buf.subarray(0, got);
}

/** Synchronous, single-thread reader (small files, tests, tools without workers). */
export function* readEvtxSync(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): Generator<EventRecord> {
  const onIssue = opts.onIssue ?? ignore;
  const fd = openSync(absPath, 'r');
  try {
    const header = readFileHeader(readAt(fd, 0, FILE_HEADER_SIZE), displayPath, onIssue);
    for (let pos = header.firstChunk; ; pos += CHUNK_SIZE) {
      const chunk = readAt(fd, pos, CHUNK_SIZE);
      if (chunk.length === 0) break;
      const { records, issues } = parseChunk(chunk, pos, displayPath);
      for (const i of issues) onIssue(i);
      yield* records;
      if (chunk.length < CHUNK_SIZE) break;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams the records of `absPath` in file order. `displayPath` goes into every record's
 * location and every issue. Corrupt chunks/records are reported through `onIssue` and skipped.
 */
export async function* readEvtx(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): AsyncGenerator<EventRecord> {
  const onIssue = opts.onIssue ?? ignore;
  const workers = opts.workers ?? 2;
  const { size } = await stat(absPath);
  if (workers <= 0 || size <= FILE_HEADER_SIZE + SMALL_FILE_CHUNKS * CHUNK_SIZE) {
    yield* readEvtxSync(absPath, displayPath, opts);
    return;
  }
  const fh = await open(absPath, 'r');
  try {
    const head = Buffer.alloc(FILE_HEADER_SIZE);
    const { bytesRead } = await fh.read(head, 0, FILE_HEADER_SIZE, 0);
    const header = readFileHeader(head.subarray(0, bytesRead), displayPath, onIssue);
    for await (const batch of runPool(fh, header.firstChunk, displayPath, { workers, mode: 'records' })) {
      for (const i of batch.issues) onIssue(i);
      if (batch.records) yield* batch.records;
    }
  } finally {
    await fh.close();
  }
}

/**
 * The `exhunt parse FILE.evtx --format jsonl` stream: yields blocks of JSONL text (one
 * `toParseJson` object per line, file order), rendered inside the workers for speed.
 * Write each block to the output as is.
 */
export async function* readEvtxJsonl(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): AsyncGenerator<string> {
  const onIssue = opts.onIssue ?? ignore;
  const workers = opts.workers ?? 2;
  const { size } = await stat(absPath);
  if (workers <= 0 || size <= FILE_HEADER_SIZE + SMALL_FILE_CHUNKS * CHUNK_SIZE) {
    let block = '';
    let n = 0;
    for (const rec of readEvtxSync(absPath, displayPath, opts)) {
      block += `${JSON.stringify(toParseJson(rec))}\n`;
      n++;
      if (block.length > 1 << 20) {
        opts.onRecords?.(n);
        yield block;
        block = '';
        n = 0;
      }
    }
    opts.onRecords?.(n);
    if (block) yield block;
    return;
  }
  const fh = await open(absPath, 'r');
  try {
    const head = Buffer.alloc(FILE_HEADER_SIZE);
    const { bytesRead } = await fh.read(head, 0, FILE_HEADER_SIZE, 0);
    const header = readFileHeader(head.subarray(0, bytesRead), displayPath, onIssue);
    for await (const batch of runPool(fh, header.firstChunk, displayPath, { workers, mode: 'jsonl' })) {
      for (const i of batch.issues) onIssue(i);
      opts.onRecords?.(batch.count);
      if (batch.jsonl) yield batch.jsonl;
    }
  } finally {
    await fh.close();
  }
}
