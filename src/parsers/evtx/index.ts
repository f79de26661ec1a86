/**
 * exhunt's own streaming `.evtx` parser (no native code): `readEvtx` streams EventRecords in
 * file order at constant memory; `readEvtxJsonl` streams the `exhunt parse --format jsonl`
 * text; `toParseJson` / `flattenEvent` are the per-record views.
 */
export { readEvtx, readEvtxJsonl, readEvtxSync, SMALL_FILE_CHUNKS } from './reader.js';
export type { ReadEvtxOptions } from './reader.js';
export { flattenEvent, toParseJson } from './event.js';
export { parseChunk } from './chunk.js';
