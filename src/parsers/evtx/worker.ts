/**
 * Worker thread body for the EVTX pool: decodes one batch of whole chunks and posts the
 * records (or ready-made JSONL text) back with the batch's sequence number.
 */
import { parentPort } from 'node:worker_threads';
import type { EventRecord, ParseIssue } from '../types.js';
import { parseChunk } from './chunk.js';
import { toParseJson } from './event.js';
import { CHUNK_SIZE } from './format.js';
import type { BatchRequest, BatchResult } from './pool.js';

function decode(req: BatchRequest): BatchResult {
  const buf = Buffer.from(req.buf, 0, req.length);
  const records: EventRecord[] = [];
  const issues: ParseIssue[] = [];
  let jsonl = '';
  let count = 0;
  for (let off = 0; off < buf.length; off += CHUNK_SIZE) {
    const res = parseChunk(buf.subarray(off, Math.min(off + CHUNK_SIZE, buf.length)), req.offset + off, req.path);
    for (const i of res.issues) issues.push(i);
    count += res.records.length;
    if (req.mode === 'jsonl') for (const r of res.records) jsonl += `${JSON.stringify(toParseJson(r))}\n`;
    else for (const r of res.records) records.push(r);
  }
  return req.mode === 'records' ? { seq: req.seq, count, records, issues } : { seq: req.seq, count, jsonl, issues };
}

parentPort?.on('message', (req: BatchRequest) => {
  parentPort?.postMessage(decode(req));
});
