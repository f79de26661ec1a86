/**
 * The base block (first 4,096 bytes) of a regf primary file or transaction log (regf
 * specification by M. Suhanov, "Base block"): sequence numbers, timestamp, version, root
 * cell, hive bins data size and the XOR-32 checksum of the first 508 bytes.
 */
import { RegfError } from './errors.js';

export const BASE_BLOCK_SIZE = 4096;

export interface BaseBlock {
  readonly primarySequence: number;
  readonly secondarySequence: number;
  /** FILETIME as a bigint. */
  readonly lastWritten: bigint;
  readonly major: number;
  readonly minor: number;
  /** 0 primary file, 1 old-format log, 6 new-format log. */
  readonly fileType: number;
  readonly rootCell: number;
  readonly hiveBinsSize: number;
  readonly clusteringFactor: number;
  /** The embedded file name (UTF-16LE, up to 32 characters), for display. */
  readonly fileName: string;
  readonly checksumOk: boolean;
}

/** XOR-32 of the first 508 bytes, as the format defines it. */
export function baseBlockChecksum(buf: Uint8Array): number {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let c = 0;
  for (let i = 0; i < 508; i += 4) c ^= v.getUint32(i, true);
  // Windows maps the two values a checksum cannot take to others (0 -> 1, -1 -> -2).
  if (c === 0) c = 1;
  else if (c >>> 0 === 0xffffffff) c = 0xfffffffe;
  return c >>> 0;
}

export function readBaseBlock(buf: Uint8Array, what: string): BaseBlock {
  if (buf.length < 512) throw new RegfError('REGF-TRUNCATED', `${what}: ${buf.length} bytes, shorter than a base block`);
  const sig = String.fromCharCode(buf[0] ?? 0, buf[1] ?? 0, buf[2] ?? 0, buf[3] ?? 0);
  if (sig !== 'regf') throw new RegfError('REGF-SIGNATURE', `${what}: not a registry hive (no "regf" signature)`);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const nameBytes = buf.subarray(48, 112);
  let end = 0;
  while (end + 1 < nameBytes.length && (nameBytes[end] !== 0 || nameBytes[end + 1] !== 0)) end += 2;
  return {
    primarySequence: v.getUint32(4, true),
    secondarySequence: v.getUint32(8, true),
    lastWritten: v.getBigUint64(12, true),
    major: v.getUint32(20, true),
    minor: v.getUint32(24, true),
    fileType: v.getUint32(28, true),
    rootCell: v.getUint32(36, true),
    hiveBinsSize: v.getUint32(40, true),
    clusteringFactor: v.getUint32(44, true),
    fileName: Buffer.from(nameBytes.subarray(0, end)).toString('utf16le'),
    checksumOk: v.getUint32(508, true) === baseBlockChecksum(buf),
  };
}

/** Dirty: a wrong checksum, or sequence numbers that differ (a write did not finish). */
export function isDirty(b: BaseBlock): boolean {
  return !b.checksumOk || b.primarySequence !== b.secondarySequence;
}
