/**
 * The 4 KiB EVTX file header ("ElfFile\0"): where chunks start and how healthy the file says
 * it is. Chunks are read from the header block to the end of the file whatever the header's
 * chunk count says (dirty files understate it). Layout: libyal/libevtx "Windows XML Event Log
 * (EVTX)" §2.1 (file header: header block size at 40, chunk count at 42, flags at 120,
 * CRC32 of bytes [0,120) at 124).
 */
import { crc32 } from 'node:zlib';
import type { ParseIssue } from '../types.js';
import { FH_CHUNK_COUNT, FH_CRC, FH_FLAGS, FH_HEADER_BLOCK_SIZE, FILE_HEADER_SIZE, FILE_MAGIC } from './format.js';

export interface FileHeader {
  /** Offset of the first chunk. */
  readonly firstChunk: number;
  readonly chunkCount: number;
  readonly dirty: boolean;
}

/** Reads the header from the first bytes of the file; problems are reported, never fatal. */
export function readFileHeader(head: Buffer, path: string, onIssue: (i: ParseIssue) => void): FileHeader {
  if (head.length < 128 || head.toString('latin1', 0, 8) !== FILE_MAGIC) {
    onIssue({ path, line: null, message: 'evtx: file header magic "ElfFile" missing; scanning for chunks anyway' });
    return { firstChunk: FILE_HEADER_SIZE, chunkCount: 0, dirty: true };
  }
  if (crc32(head.subarray(0, 120)) !== head.readUInt32LE(FH_CRC)) {
    onIssue({ path, line: null, message: 'evtx: file header CRC32 mismatch; reading chunks anyway' });
  }
  const block = head.readUInt16LE(FH_HEADER_BLOCK_SIZE);
  return {
    firstChunk: block >= 128 && block % 512 === 0 ? block : FILE_HEADER_SIZE,
    chunkCount: head.readUInt16LE(FH_CHUNK_COUNT),
    dirty: (head.readUInt32LE(FH_FLAGS) & 1) !== 0,
  };
}
