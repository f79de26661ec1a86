/**
 * Reading a file for the file scanner: md5/sha1/sha256 in one streaming pass, and the content
 * kept for scanning when the file is within the size limit.
 */
import { createHash } from 'node:crypto';
import type { FileRecord } from '../../parsers/types.js';

export interface FileHashes {
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
}

export interface FileContent {
  readonly hashes: FileHashes;
  /** The whole content when the file is within the limit, else its head (`partBytes`). */
  readonly buf: Buffer;
  /** Over the limit: the file's last bytes (`partBytes`, may overlap the head), at `tailOffset`. */
  readonly tail?: Buffer;
  readonly tailOffset?: number;
  /** True when `buf` is the whole file. */
  readonly complete: boolean;
  /** Bytes actually read (may differ from the recorded size when the file changed). */
  readonly bytes: number;
}

/**
 * Bytes kept from each end of a file over the limit (at most the limit itself): the head for
 * magic numbers, head and tail for content checks, so that padding a shell past the limit
 * (before or after its code) does not hide it.
 */
export const PART_BYTES = 4 * 1024 * 1024;

export function partBytes(maxScanBytes: number): number {
  return Math.max(1, Math.min(PART_BYTES, maxScanBytes));
}

export function hashBuffer(buf: Buffer): FileHashes {
  return {
    md5: createHash('md5').update(buf).digest('hex'),
    sha1: createHash('sha1').update(buf).digest('hex'),
    sha256: createHash('sha256').update(buf).digest('hex'),
  };
}

/** Reads and hashes a file; over `maxScanBytes` it streams and keeps only its head and tail. */
export async function readFileContent(file: FileRecord, maxScanBytes: number): Promise<FileContent> {
  if (file.size <= maxScanBytes) {
    const buf = await file.read(maxScanBytes + 1);
    if (buf.length <= maxScanBytes) {
      return { hashes: hashBuffer(buf), buf, complete: true, bytes: buf.length };
    }
  }
  const part = partBytes(maxScanBytes);
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  const head: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  // The last chunks whose total reaches `part` (the first one dropped once the rest suffice).
  const tail: Buffer[] = [];
  let tailBytes = 0;
  for await (const chunk of file.open()) {
    const b = chunk as Buffer;
    md5.update(b);
    sha1.update(b);
    sha256.update(b);
    bytes += b.length;
    if (kept < part) {
      const piece = b.subarray(0, part - kept);
      head.push(piece);
      kept += piece.length;
    }
    tail.push(b);
    tailBytes += b.length;
    while (tail.length > 1 && tailBytes - (tail[0]?.length ?? 0) >= part) tailBytes -= tail.shift()?.length ?? 0;
  }
  const hashes = { md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
  const last = Buffer.concat(tail);
  const end = last.length > part ? last.subarray(last.length - part) : last;
  return { hashes, buf: Buffer.concat(head), tail: end, tailOffset: bytes - end.length, complete: false, bytes };
}

/** Share of bytes in `buf` (first 4 KiB) that are neither printable text nor common whitespace. */
export function binaryRatio(buf: Buffer): number {
  const n = Math.min(buf.length, 4096);
  if (n === 0) return 0;
  // UTF-16 text (BOM) is text.
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) return 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i] ?? 0;
    if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b)) odd++;
  }
  return odd / n;
}

/** A short raw excerpt of `buf` around `offset` (attacker-controlled: writers escape it). */
export function excerptAt(buf: Buffer, offset: number, length = 120): string {
  const start = Math.max(0, offset - 20);
  return buf.subarray(start, Math.min(buf.length, start + length)).toString('latin1');
}
