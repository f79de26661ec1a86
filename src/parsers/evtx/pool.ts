/**
 * A small worker_threads pool that decodes EVTX chunks in batches. The calling thread reads
 * batches of chunks from the file, hands each batch's bytes to an idle worker (transferred,
 * not copied) and yields results strictly in file order. At most `2 × workers` batches are in
 * flight, so memory stays flat however large the file.
 */
import { existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventRecord, ParseIssue } from '../types.js';
import { CHUNK_SIZE } from './format.js';

export type PoolMode = 'records' | 'jsonl';

export interface BatchRequest {
  readonly seq: number;
  readonly offset: number;
  readonly buf: ArrayBuffer;
  readonly length: number;
  readonly path: string;
  readonly mode: PoolMode;
}

export interface BatchResult {
  readonly seq: number;
  readonly count: number;
  readonly records?: EventRecord[];
  /** JSONL of the batch's records ('jsonl' mode). */
  readonly jsonl?: string;
  readonly issues: ParseIssue[];
}

export interface PoolOptions {
  readonly workers: number;
  readonly mode: PoolMode;
  /** Chunks per batch (default 16 = 1 MiB). */
  readonly batchChunks?: number;
}

/**
 * `worker.js` beside this file in dist/. Under tsx (running from src/) only `worker.ts`
 * exists and Node 20 does not apply `--import` loaders to a worker's entry file, so a tiny
 * bootstrap registers tsx (a dev dependency) in the worker and then imports `worker.ts`.
 */
function spawnWorker(): Worker {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js);
  const api = import.meta.resolve('tsx/esm/api');
  const ts = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { eval: true });
}

/** Decodes the chunks of `fh` from `start` to EOF in a worker pool; yields batches in order. */
export async function* runPool(fh: FileHandle, start: number, path: string, opts: PoolOptions): AsyncGenerator<BatchResult> {
  const batchBytes = (opts.batchChunks ?? 16) * CHUNK_SIZE;
  const maxInFlight = opts.workers * 2;
  const pool = Array.from({ length: opts.workers }, spawnWorker);
  const idle: Worker[] = [...pool];
  const done = new Map<number, BatchResult>();
  const state: { failure: Error | null } = { failure: null };
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  for (const w of pool) {
    w.on('message', (m: BatchResult) => {
      done.set(m.seq, m);
      idle.push(w);
      notify();
    });
    w.on('error', (e: Error) => {
      state.failure = e;
      notify();
    });
  }
  let pos = start;
  let eof = false;
  let sent = 0;
  let next = 0;
  try {
    for (;;) {
      while (!eof && idle.length > 0 && sent - next < maxInFlight) {
        const buf = Buffer.allocUnsafeSlow(batchBytes);
        const { bytesRead } = await fh.read(buf, 0, batchBytes, pos);
        if (bytesRead < batchBytes) eof = true;
        if (bytesRead === 0) break;
        const worker = idle.pop() as Worker;
        const req: BatchRequest = { seq: sent, offset: pos, buf: buf.buffer, length: bytesRead, path, mode: opts.mode };
        worker.postMessage(req, [req.buf]);
        sent++;
        pos += bytesRead;
      }
      if (state.failure) throw state.failure;
      const r = done.get(next);
      if (r) {
        done.delete(next);
        next++;
        yield r;
        continue;
      }
      if (eof && next === sent) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
