/**
 * Byte streams of a log file: the file itself, the inflated content of a `.gz`, or each member
 * of a `.zip` (zip-members.ts: streamed one member at a time; members ending `.gz` are inflated
 * too). What comes out of an archive is bounded by its decompression budget (archive-budget.ts).
 * Display paths follow DESIGN.md: `archive.zip!member`, `file.log.gz!file.log`.
 * A read error (missing or unreadable file, corrupt archive) becomes a ParseIssue and ends that
 * stream; it never throws to the caller.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ParseIssue } from '../types.js';
import { ArchiveBudget, budgeted } from './archive-budget.js';
import { openEntry, openZipForMembers } from './zip-members.js';

const READ_CHUNK = 1024 * 1024;

export interface ByteSource {
  readonly displayPath: string;
  readonly chunks: AsyncIterable<Buffer>;
  /** Abandon the stream without reading it (e.g. not a log). */
  discard(): void;
}

type OnIssue = (issue: ParseIssue) => void;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Iterates a readable stream; an error is reported and ends the iteration. */
async function* guarded(stream: Readable, path: string, onIssue: OnIssue): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    onIssue({ path, line: null, message: `read failed: ${message(err)}` });
  } finally {
    stream.destroy();
  }
}

/**
 * Read buffers for plain files, reused from file to file. Give one to each thread that reads
 * many logs (`OpenLogOptions.readBuffers`): a fresh 1 MiB buffer per file costs page faults on
 * the first read and, as external memory, pushes V8 into full garbage collections (measured on
 * a thousand hourly HttpProxy logs). Not for two files read at the same time.
 */
export interface ReadBuffers {
  readonly ring: readonly [Buffer, Buffer];
  /**
   * Read with blocking calls: for worker threads that only read and parse, where a thread-pool
   * round trip per read leaves the thread idle and a blocked thread costs nothing.
   */
  readonly sync: boolean;
}

export function createReadBuffers(opts: { readonly sync?: boolean } = {}): ReadBuffers {
  return { ring: [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)], sync: opts.sync ?? false };
}

/** What `peek` in index.ts may hold before it hands the first chunk on. */
const PEEK_BYTES = 8192;

/**
 * A plain file in 1 MiB chunks, read with our own handle (fs.ReadStream copies every short read
 * into a new buffer). Buffers are reused in turn: every consumer here is done with a chunk
 * before it asks for the next one — the line splitter copies what it keeps and decodes lines
 * into strings — except `peek` (index.ts), which holds the first chunks until it has 8 KiB:
 * so after a short first read, reads go to fresh buffers until 8 KiB are out. Reusing them
 * spares the page faults of a fresh 1 MiB allocation per read (measured: a third of the CPU
 * time of a log hunt was system time before).
 */
async function* fileChunks(absPath: string, buffers: ReadBuffers | undefined): AsyncGenerator<Buffer> {
  const { ring, sync } = buffers ?? createReadBuffers();
  // Blocking mode opens and closes blocking too: a FileHandle's open and close cost a
  // thread-pool round trip each, which adds up over a thousand hourly logs.
  const fh = sync ? null : await open(absPath, 'r');
  const fd = fh ? fh.fd : openSync(absPath, 'r');
  let out = 0;
  try {
    for (let n = 0; ; n++) {
      const buf = n > 0 && out < PEEK_BYTES ? Buffer.allocUnsafe(READ_CHUNK) : (ring[n % 2] as Buffer);
      const bytesRead = fh ? (await fh.read(buf, 0, READ_CHUNK, null)).bytesRead : readSync(fd, buf, 0, READ_CHUNK, null);
      if (bytesRead === 0) return;
      out += bytesRead;
      yield bytesRead === READ_CHUNK ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    if (fh) await fh.close();
    else closeSync(fd);
  }
}

async function* guardedFile(absPath: string, path: string, onIssue: OnIssue, buffers: ReadBuffers | undefined): AsyncGenerator<Buffer> {
  try {
    yield* fileChunks(absPath, buffers);
  } catch (err) {
    onIssue({ path, line: null, message: `read failed: ${message(err)}` });
  }
}

function gunzipped(input: Readable): Readable {
  const gz = createGunzip({ chunkSize: 256 * 1024 });
  input.on('error', (err) => gz.destroy(err));
  return input.pipe(gz);
}

/** A stream's chunks, counted against the decompression budget of the archive it comes from. */
function streamSource(stream: Readable, displayPath: string, onIssue: OnIssue, budget: ArchiveBudget): ByteSource {
  return { displayPath, chunks: budgeted(guarded(stream, displayPath, onIssue), budget, displayPath, onIssue), discard: () => stream.destroy() };
}

function baseName(path: string): string {
  const p = path.replaceAll('\\', '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Every byte stream a path holds: one for a plain or `.gz` file, one per `.zip` member. */
export async function* openByteSources(
  absPath: string,
  displayPath: string,
  onIssue: OnIssue,
  buffers?: ReadBuffers,
): AsyncGenerator<ByteSource> {
  const lower = absPath.toLowerCase();
  if (lower.endsWith('.zip')) {
    yield* zipMembers(absPath, displayPath, onIssue);
    return;
  }
  if (lower.endsWith('.gz')) {
    const inner = `${displayPath}!${baseName(absPath).slice(0, -3)}`;
    let size: number;
    try {
      size = (await stat(absPath)).size;
    } catch (err) {
      onIssue({ path: displayPath, line: null, message: `read failed: ${message(err)}` });
      return;
    }
    yield streamSource(gunzipped(createReadStream(absPath, { highWaterMark: READ_CHUNK })), inner, onIssue, new ArchiveBudget(size));
    return;
  }
  const chunks = guardedFile(absPath, displayPath, onIssue, buffers);
  yield { displayPath, chunks, discard: () => void chunks.return(undefined) };
}

async function* zipMembers(absPath: string, displayPath: string, onIssue: OnIssue): AsyncGenerator<ByteSource> {
  const opened = await openZipForMembers(absPath, displayPath, onIssue);
  if (!opened) return;
  const { zip, budget, members } = opened;
  try {
    for (const { name, entry } of members) {
      if (budget.exhausted !== null) return;
      const member = `${displayPath}!${name}`;
      let stream: Readable;
      try {
        stream = await openEntry(zip, entry);
      } catch (err) {
        onIssue({ path: member, line: null, message: `cannot read zip member: ${message(err)}` });
        continue;
      }
      if (name.toLowerCase().endsWith('.gz')) {
        yield streamSource(gunzipped(stream), `${member}!${baseName(name).slice(0, -3)}`, onIssue, budget);
      } else {
        yield streamSource(stream, member, onIssue, budget);
      }
    }
  } finally {
    zip.close();
  }
}
