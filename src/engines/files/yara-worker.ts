/**
 * Worker thread of the scan pool: reads a file, hashes it and runs YARA on it with its own
 * copy of the compiled rules (built from the recipe the main thread validated). Reads are
 * synchronous on purpose: each hand-off to another thread costs a wake-up, which dominates on
 * a busy machine. Never executes anything it reads.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { scannerFromRecipe, type YaraRecipe } from '../../rules/yara.js';
import { yaraFiletype } from './classify.js';
import { hashBuffer } from './content.js';
import type { PoolJob, PoolReply } from './pool.js';

interface Init {
  readonly recipe: YaraRecipe;
  readonly maxScanBytes: number;
}

const init = workerData as Init;
const scanner = scannerFromRecipe(init.recipe);
const port = parentPort;

function transferable(buf: Buffer): Buffer {
  if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.length) return buf;
  const copy = Buffer.alloc(buf.length);
  buf.copy(copy);
  return copy;
}

function handle(job: PoolJob): void {
  let reply: PoolReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const raw = readFileSync(job.absPath);
    if (raw.length > init.maxScanBytes) {
      reply = { id: job.id, ok: false, error: 'file grew over the scan limit' };
    } else {
      const buf = transferable(raw);
      const matches = scanner.scan(buf, { ...job.externals, filetype: yaraFiletype(buf) });
      reply = { id: job.id, ok: true, hashes: hashBuffer(buf), matches, buf };
      transfer = [buf.buffer as ArrayBuffer];
    }
  } catch (err) {
    reply = { id: job.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port?.postMessage(reply, transfer);
}

port?.on('message', handle);
