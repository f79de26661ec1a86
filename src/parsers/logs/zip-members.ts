/**
 * The members of a `.zip` of logs, read with yauzl one at a time, safely against hostile
 * archives:
 * - a member whose name is absolute, has a drive letter or climbs with `..` is reported and
 *   skipped, and the rest of the archive is read (names are decoded here, not by yauzl, which
 *   would abandon the whole archive at such a name);
 * - members whose stored bytes overlap (entries sharing one deflate stream, local headers
 *   inside another member's data: the "better zip bomb") are refused, each reported;
 * - output is counted against the archive's decompression budget (archive-budget.ts), and
 *   at most `maxMembers` members are read.
 */
import { close, closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { ParseIssue } from '../types.js';
import { ArchiveBudget, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive-budget.js';

type OnIssue = (issue: ParseIssue) => void;

/** A member to read: its decoded name and yauzl's entry. */
export interface ZipMember {
  readonly name: string;
  readonly entry: yauzl.Entry;
}

/** Bytes of a local file header before its name (APPNOTE 4.3.7). */
const LOCAL_HEADER_BYTES = 30;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Reads of at most this many bytes (central directory entries, local headers) come from a block cache. */
const SMALL_READ = 128 * 1024;
const BLOCK_BYTES = 1024 * 1024;
const STREAM_CHUNK = 256 * 1024;

/**
 * yauzl's file access with small reads served from a 1 MiB block read once: yauzl reads each
 * central directory entry and local header with its own read stream, which made listing a
 * zip of 200,000 members cost seconds. Member data is streamed from the file as usual.
 */
class BlockReader extends yauzl.RandomAccessReader {
  private block = Buffer.alloc(0);
  private blockStart = 0;

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  /** Bytes [start, end) by positioned reads; never closes the shared descriptor (fs.ReadStream's destroy would). */
  override _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    let pos = start;
    return new Readable({
      highWaterMark: STREAM_CHUNK,
      read(): void {
        const n = Math.min(STREAM_CHUNK, end - pos);
        if (n <= 0) {
          this.push(null);
          return;
        }
        const buf = Buffer.allocUnsafe(n);
        read(fd, buf, 0, n, pos, (err, got) => {
          if (err) this.destroy(err);
          else if (got === 0) this.push(null);
          else {
            pos += got;
            this.push(got < n ? buf.subarray(0, got) : buf);
          }
        });
      },
    });
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    if (length > SMALL_READ) {
      super.read(buffer, offset, length, position, callback);
      return;
    }
    try {
      const end = position + length;
      if (position < this.blockStart || end > this.blockStart + this.block.length) {
        const want = Math.max(length, Math.min(BLOCK_BYTES, this.size - position));
        const block = Buffer.allocUnsafe(want);
        this.block = block.subarray(0, readSync(this.fd, block, 0, want, position));
        this.blockStart = position;
      }
      if (end > this.blockStart + this.block.length) throw new Error('unexpected end of file');
      this.block.copy(buffer, offset, position - this.blockStart, end - this.blockStart);
    } catch (err) {
      process.nextTick(callback, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    process.nextTick(callback, null);
  }

  override close(callback: (err: Error | null) => void): void {
    close(this.fd, (err) => callback(err));
  }
}

export async function openZip(absPath: string): Promise<yauzl.ZipFile> {
  const fd = openSync(absPath, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const reader = new BlockReader(fd, size);
  // Held until the ZipFile holds it: yauzl closes a reader whose count of users drops to zero,
  // which would otherwise happen between its first reads. Released either way below.
  const counted = reader as unknown as { ref(): void; unref(): void };
  counted.ref();
  try {
    return await new Promise<yauzl.ZipFile>((resolve, reject) => {
      // Names are decoded and checked here (decodeStrings: false), so that one bad name does not
      // end the archive; sizes are bounded by the budget rather than trusted.
      const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false };
      yauzl.fromRandomAccessReader(reader, size, options, (err, zip) => (err ? reject(err) : resolve(zip)));
    });
  } finally {
    counted.unref();
  }
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

export function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) reject(err);
      else resolve(stream);
    });
  });
}

/** The member's name as the archive means it (UTF-8 flag, Info-ZIP Unicode path, else CP437). */
function decodeName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
}

/** Why a member name is unsafe to name a file (absolute, drive letter, `..`), or null. */
export function unsafeMemberName(name: string): string | null {
  const p = name.replaceAll('\\', '/');
  if (p.includes('\0')) return 'a NUL in its name';
  if (/^[A-Za-z]:/.test(p)) return 'a drive letter in its name';
  if (p.startsWith('/')) return 'an absolute name';
  if (p.split('/').includes('..')) return 'a name that climbs out with ..';
  return null;
}

/**
 * Indexes of members whose stored bytes overlap another's: [local header, end of data), the
 * local header counted with the central directory's name length (its extra field may add more).
 */
export function overlapping(entries: readonly { readonly offset: number; readonly end: number }[]): Set<number> {
  const order = entries.map((_, i) => i).sort((a, b) => (entries[a]?.offset ?? 0) - (entries[b]?.offset ?? 0));
  const bad = new Set<number>();
  let reach = -1;
  let owner = -1;
  for (const i of order) {
    const e = entries[i];
    if (!e) continue;
    if (e.offset < reach) {
      bad.add(i);
      bad.add(owner);
    }
    if (e.end > reach) {
      reach = e.end;
      owner = i;
    }
  }
  return bad;
}

/**
 * The members of the central directory worth reading (files with stored bytes, safe names, not
 * overlapping), in archive order, each problem reported; at most `maxMembers` entries are looked at.
 */
export async function listMembers(zip: yauzl.ZipFile, displayPath: string, budget: ArchiveBudget, onIssue: OnIssue): Promise<ZipMember[]> {
  const kept: ZipMember[] = [];
  for (;;) {
    let entry: yauzl.Entry | null;
    try {
      entry = await nextEntry(zip);
    } catch (err) {
      // A corrupt central directory: the members listed so far are still read.
      onIssue({ path: displayPath, line: null, message: `zip read failed: ${message(err)}; the entries before it are read` });
      break;
    }
    if (!entry) break;
    if (!budget.member()) {
      onIssue({ path: displayPath, line: null, message: `${budget.exhausted ?? 'member budget hit'} (${zip.entryCount} entries)` });
      break;
    }
    const name = decodeName(entry);
    if (name.endsWith('/') || name.endsWith('\\')) continue;
    const unsafe = unsafeMemberName(name);
    if (unsafe) {
      onIssue({ path: `${displayPath}!${name}`, line: null, message: `zip member with ${unsafe}: skipped (the other members are read)` });
      continue;
    }
    // An empty member holds nothing to read.
    if (entry.compressedSize === 0) continue;
    kept.push({ name, entry });
  }
  const spans = kept.map(({ entry }) => {
    const offset = entry.relativeOffsetOfLocalHeader;
    return { offset, end: offset + LOCAL_HEADER_BYTES + entry.fileNameLength + entry.compressedSize };
  });
  const bad = overlapping(spans);
  if (bad.size === 0) return kept;
  // One issue for the lot: a bomb names thousands of members.
  const names = [...bad].sort((a, b) => a - b).map((i) => kept[i]?.name ?? '');
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, ... (${names.length - 3} more)` : '');
  onIssue({ path: displayPath, line: null, message: `${names.length} zip members overlap other members' bytes (a zip bomb?): refused: ${shown}` });
  return kept.filter((_, i) => !bad.has(i));
}

/** A zip opened for reading with its budget, or null after reporting why it cannot be. */
export async function openZipForMembers(
  absPath: string,
  displayPath: string,
  onIssue: OnIssue,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<{ zip: yauzl.ZipFile; budget: ArchiveBudget; members: ZipMember[] } | null> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(absPath);
  } catch (err) {
    onIssue({ path: displayPath, line: null, message: `cannot open zip: ${message(err)}` });
    return null;
  }
  const budget = new ArchiveBudget(zip.fileSize, limits);
  return { zip, budget, members: await listMembers(zip, displayPath, budget, onIssue) };
}
