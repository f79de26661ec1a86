/**
 * Decodes one 64 KiB EVTX chunk: checks the "ElfChnk" magic and both CRC32s (header bytes
 * [0,120)+[128,512), records [512, free space offset)), then walks the records ("**\0\0",
 * size, record id, FILETIME, BinXml, size copy) and turns each into an EventRecord.
 * A bad chunk or record becomes a ParseIssue; the rest of the file still parses.
 * Layout: libyal/libevtx "Windows XML Event Log (EVTX)" §2–3, libevtx/evtx_chunk.h.
 */
import { crc32 } from 'node:zlib';
import type { EventRecord, ParseIssue } from '../types.js';
import { newChunkCtx, parseRecordXml, recordInstance } from './binxml.js';
import { toEventRecord } from './event.js';
import { extractEvent } from './extract.js';
import {
  CH_DATA_CRC,
  CH_FREE_SPACE_OFFSET,
  CH_HEADER_CRC,
  CHUNK_HEADER_SIZE,
  CHUNK_MAGIC,
  CHUNK_SIZE,
  RECORD_HEADER_SIZE,
  RECORD_MAGIC,
} from './format.js';
import { readFiletime } from './values.js';

export interface ChunkResult {
  readonly records: EventRecord[];
  readonly issues: ParseIssue[];
}

const hexOff = (n: number): string => `0x${n.toString(16)}`;

function issue(path: string, message: string): ParseIssue {
  return { path, line: null, message };
}

/** True when the block is all zero bytes (an unused, pre-allocated chunk). */
function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i += 8) {
    if (buf.readUInt32LE(i) !== 0 || buf.readUInt32LE(i + 4) !== 0) return false;
  }
  return true;
}

/** Validates the chunk header; returns the free space offset, or an error message. */
export function checkChunk(chunk: Buffer): number | string {
  if (chunk.length < CHUNK_SIZE) return `truncated chunk (${chunk.length} of ${CHUNK_SIZE} bytes)`;
  if (chunk.toString('latin1', 0, 8) !== CHUNK_MAGIC) return 'bad chunk magic';
  const headerCrc = crc32(chunk.subarray(128, CHUNK_HEADER_SIZE), crc32(chunk.subarray(0, 120)));
  if (headerCrc !== chunk.readUInt32LE(CH_HEADER_CRC)) return 'chunk header CRC32 mismatch';
  const free = chunk.readUInt32LE(CH_FREE_SPACE_OFFSET);
  if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) return `bad free space offset ${hexOff(free)}`;
  if (crc32(chunk.subarray(CHUNK_HEADER_SIZE, free)) !== chunk.readUInt32LE(CH_DATA_CRC)) return 'chunk records CRC32 mismatch';
  return free;
}

/**
 * Parses every record of the chunk held in `chunk` (exactly one chunk; it starts at
 * `fileOffset` in the file). `path` is the display path used in locations and issues.
 * Template-instance records take the fast path (extract.ts); `generic` forces the tree path.
 */
export function parseChunk(chunk: Buffer, fileOffset: number, path: string, opts: { generic?: boolean } = {}): ChunkResult {
  const records: EventRecord[] = [];
  const issues: ParseIssue[] = [];
  const where = `chunk at file offset ${hexOff(fileOffset)}`;
  const checked = checkChunk(chunk);
  if (typeof checked === 'string') {
    if (!(chunk.length === CHUNK_SIZE && isBlank(chunk)) && chunk.length > 0) {
      issues.push(issue(path, `evtx: ${where}: ${checked}; chunk skipped`));
    }
    return { records, issues };
  }
  const ctx = newChunkCtx(chunk);
  for (let p = CHUNK_HEADER_SIZE; p + RECORD_HEADER_SIZE <= checked; ) {
    const at = `${where}, record at ${hexOff(fileOffset + p)}`;
    if (chunk.readUInt32LE(p) !== RECORD_MAGIC) {
      issues.push(issue(path, `evtx: ${at}: bad record magic; rest of chunk skipped`));
      break;
    }
    const size = chunk.readUInt32LE(p + 4);
    if (size < RECORD_HEADER_SIZE + 4 || p + size > checked || chunk.readUInt32LE(p + size - 4) !== size) {
      issues.push(issue(path, `evtx: ${at}: bad record size ${size}; rest of chunk skipped`));
      break;
    }
    const id = Number(chunk.readBigUInt64LE(p + 8));
    try {
      const start = p + RECORD_HEADER_SIZE;
      const end = p + size - 4;
      const hdr = { recordId: id, writtenTime: readFiletime(chunk, p + 16), location: { path, recordId: id, offset: fileOffset + p } };
      const inst = opts.generic ? null : recordInstance(ctx, start, end);
      const fast = inst ? extractEvent(ctx, inst, hdr) : null;
      records.push(fast ?? toEventRecord(parseRecordXml(ctx, start, end), hdr));
    } catch (err) {
      issues.push(issue(path, `evtx: ${at} (record id ${id}): bad BinXml: ${(err as Error).message}; record skipped`));
    }
    p += size;
  }
  return { records, issues };
}
