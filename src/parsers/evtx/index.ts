/**
 * exhunt's own streaming `.evtx` parser (no native code): `readEvtx` streams EventRecords in
 * file order at constant memory; `readEvtxJsonl` / `readEvtxJsonlBuffers` stream the
 * `exhunt parse --format jsonl` text / UTF-8 bytes; `toParseJson` / `flattenEvent` are the per-record views.
 */
export { readEvtx, readEvtxBatches, readEvtxSync, SMALL_FILE_CHUNKS } from './reader.js';
export { readEvtxJsonl, readEvtxJsonlBuffers } from './jsonl.js';
export type { ReadEvtxOptions } from './reader.js';
export { flattenEvent, toParseJson } from './event.js';
export { parseChunk } from './chunk.js';
