/**
 * Worker thread body for the EVTX pool: decodes one batch of whole chunks and posts the
 * records (or ready-made JSONL text) back with the batch's sequence number.
 */
import { parentPort } from 'node:worker_threads';
import type { EventRecord, ParseIssue } from '../types.js';
import { parseChunk } from './chunk.js';
import { JsonlBuffer } from './jsonl-buffer.js';
import { CHUNK_SIZE } from './format.js';
import type { BatchRequest, BatchResult } from './pool.js';

function decode(req: BatchRequest): BatchResult {
  const buf = Buffer.from(req.buf, 0, req.length);
  const records: EventRecord[] = [];
  const issues: ParseIssue[] = [];
  const jsonl = req.mode === 'jsonl' ? new JsonlBuffer(req.length) : null;
  let count = 0;
  for (let off = 0; off < buf.length; off += CHUNK_SIZE) {
    const res = parseChunk(buf.subarray(off, Math.min(off + CHUNK_SIZE, buf.length)), req.offset + off, req.path);
    for (const i of res.issues) issues.push(i);
    count += res.records.length;
    if (jsonl) for (const r of res.records) jsonl.add(r);
    else for (const r of res.records) records.push(r);
  }
  // Records hold copies (strings), not views of the input: its bytes can go back for reuse.
  const input = req.buf;
  return jsonl ? { seq: req.seq, count, jsonl: jsonl.take(), issues, input } : { seq: req.seq, count, records, issues, input };
}

parentPort?.on('message', (req: BatchRequest) => {
  const res = decode(req);
  // The JSONL bytes sit alone in their ArrayBuffer (JsonlBuffer.take): transfer, don't copy.
  const transfer: ArrayBuffer[] = [req.buf];
  if (res.jsonl) transfer.push(res.jsonl.buffer as ArrayBuffer);
  parentPort?.postMessage(res, transfer);
});
