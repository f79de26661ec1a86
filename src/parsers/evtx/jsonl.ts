/**
 * The `exhunt parse FILE.evtx --format jsonl` stream: one `toParseJson` object per line, in
 * file order, rendered inside the decoding workers. `readEvtxJsonlBuffers` yields UTF-8
 * bytes ready to write (fastest); `readEvtxJsonl` yields the same blocks as strings.
 */
import { JsonlBuffer } from './jsonl-buffer.js';
import { pooledBatches, readEvtxSync, useSyncPath, type ReadEvtxOptions } from './reader.js';

const BLOCK_BYTES = 1 << 20;

/** Blocks of UTF-8 JSONL (whole lines); write each to the output as is. */
export async function* readEvtxJsonlBuffers(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): AsyncGenerator<Uint8Array> {
  const workers = opts.workers ?? 2;
  if (await useSyncPath(absPath, opts)) {
    const out = new JsonlBuffer();
    for (const rec of readEvtxSync(absPath, displayPath, opts)) {
      out.add(rec);
      if (out.length >= BLOCK_BYTES) {
        opts.onRecords?.(out.count);
        yield out.take();
      }
    }
    if (out.count > 0) {
      opts.onRecords?.(out.count);
      yield out.take();
    }
    return;
  }
  for await (const batch of pooledBatches(absPath, displayPath, opts.onIssue ?? (() => undefined), workers, 'jsonl')) {
    opts.onRecords?.(batch.count);
    if (batch.jsonl && batch.jsonl.length > 0) yield batch.jsonl;
  }
}

/** The same blocks as text. */
export async function* readEvtxJsonl(absPath: string, displayPath: string, opts: ReadEvtxOptions = {}): AsyncGenerator<string> {
  for await (const block of readEvtxJsonlBuffers(absPath, displayPath, opts)) {
    yield Buffer.from(block.buffer, block.byteOffset, block.byteLength).toString('utf8');
  }
}
