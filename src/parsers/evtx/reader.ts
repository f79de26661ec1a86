/**
 * Public entry points: stream the records of an `.evtx` file in file order at constant
 * memory, one 64 KiB chunk at a time. Large files are decoded by a worker_threads pool
 * (`pool.ts`); small ones (and `readEvtxSync`) on the calling thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { EventRecord, ParseIssue } from '../types.js';
import { parseChunk } from './chunk.js';
import { readFileHeader } from './file-header.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from './format.js';
import { runPool, type BatchResult, type PoolMode } from './pool.js';

export interface ReadEvtxOptions {
  onIssue?: (i: ParseIssue) => void;
  /** Worker threads for large files; 0 forces the single-thread path. Default 2. */
  workers?: number;
  /** Files with more chunks than this use the workers (default SMALL_FILE_CHUNKS). */
  poolAboveChunks?: number;
  /** Called after each block of `readEvtxJsonl*` with the number of records in it (progress). */
  onRecords?: (count: number) => void;
}

/**
 * Files with at most this many chunks (4 MiB) are decoded on the calling thread: starting
 * and warming up two workers costs ~0.3–0.5 s, about what one thread needs for 4–8 MiB.
 */
export const SMALL_FILE_CHUNKS = 64;

const ignore = (): void => undefined;

/**
 * Chunks per worker batch. Record objects wait in the worker until their batch is posted:
 * small batches let them die young (measured on 1 GB: 91–93k records/s with 1–2 chunks,
 * 43–48k with 16). JSONL lines are bytes at once, so bigger batches cost nothing there.
 */
const RECORD_BATCH_CHUNKS = 2;
const JSONL_BATCH_CHUNKS = 16;

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

/** Synchronous, single-thread reader, one array per chunk. */
export function* readEvtxSyncChunks(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): Generator<EventRecord[]> {
  const onIssue = opts.onIssue ?? ignore;
  const fd = openSync(absPath, 'r');
  try {
    const header = readFileHeader(readAt(fd, 0, FILE_HEADER_SIZE), displayPath, onIssue);
    for (let pos = header.firstChunk; ; pos += CHUNK_SIZE) {
      const chunk = readAt(fd, pos, CHUNK_SIZE);
      if (chunk.length === 0) break;
      const { records, issues } = parseChunk(chunk, pos, displayPath);
      for (const i of issues) onIssue(i);
      if (records.length > 0) yield records;
      if (chunk.length < CHUNK_SIZE) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** Synchronous, single-thread reader (small files, tests, tools without workers). */
export function* readEvtxSync(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): Generator<EventRecord> {
  for (const records of readEvtxSyncChunks(absPath, displayPath, opts)) yield* records;
}

/**
 * Streams the records of `absPath` in file order, in arrays (one per chunk or batch): the
 * cheapest way to consume them — no promise per record. Corrupt chunks/records are reported
 * through `onIssue` and skipped.
 */
export async function* readEvtxBatches(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): AsyncGenerator<readonly EventRecord[]> {
  if (await useSyncPath(absPath, opts)) {
    yield* readEvtxSyncChunks(absPath, displayPath, opts);
    return;
  }
  for await (const batch of pooledBatches(absPath, displayPath, opts.onIssue ?? ignore, opts.workers ?? 2, 'records')) {
    if (batch.records && batch.records.length > 0) yield batch.records;
  }
}

/**
 * Streams the records of `absPath` in file order. `displayPath` goes into every record's
 * location and every issue. Corrupt chunks/records are reported through `onIssue` and skipped.
 */
export async function* readEvtx(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): AsyncGenerator<EventRecord> {
  for await (const records of readEvtxBatches(absPath, displayPath, opts)) yield* records;
}

/** True when `absPath` is small enough (or `workers` is 0) for the calling thread alone. */
export async function useSyncPath(absPath: string, opts: ReadEvtxOptions): Promise<boolean> {
  const { size } = await stat(absPath);
  return (opts.workers ?? 2) <= 0 || size <= FILE_HEADER_SIZE + (opts.poolAboveChunks ?? SMALL_FILE_CHUNKS) * CHUNK_SIZE;
}

/** Opens the file, reads its header and runs the worker pool over its chunks; issues go to onIssue. */
export async function* pooledBatches(
  absPath: string,
  displayPath: string,
  onIssue: (i: ParseIssue) => void,
  workers: number,
  mode: PoolMode,
): AsyncGenerator<BatchResult> {
  const fh = await open(absPath, 'r');
  try {
    const head = Buffer.alloc(FILE_HEADER_SIZE);
    const { bytesRead } = await fh.read(head, 0, FILE_HEADER_SIZE, 0);
    const header = readFileHeader(head.subarray(0, bytesRead), displayPath, onIssue);
    const batchChunks = mode === 'records' ? RECORD_BATCH_CHUNKS : JSONL_BATCH_CHUNKS;
    for await (const batch of runPool(fh, header.firstChunk, displayPath, { workers, mode, batchChunks })) {
      for (const i of batch.issues) onIssue(i);
      yield batch;
    }
  } finally {
    await fh.close();
  }
}
