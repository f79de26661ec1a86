/** Writing to a report sink with backpressure: wait for 'drain' when the stream asks for it. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes one chunk; resolves at once, or after 'drain' when the stream's buffer is full. */
export async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** How much `writeQueued` lets a stream hold before it waits for 'drain'. */
const QUEUE_LIMIT = 1024 * 1024;

/**
 * Writes one chunk, waiting for 'drain' only once the stream holds more than `limit` bytes:
 * a file stream's 16 KiB mark made a writer wait for a thread-pool round trip per chunk;
 * meanwhile queued chunks go out together (writev). Memory stays bounded by `limit`.
 */
export async function writeQueued(out: Writable, chunk: string, limit = QUEUE_LIMIT): Promise<void> {
  if (!out.write(chunk) && out.writableLength >= limit) await once(out, 'drain');
}

const CHUNK = 64 * 1024;

/** Writes a long string in 64 KiB pieces, honouring backpressure between them (`writeQueued`). */
export async function writeLong(out: Writable, text: string): Promise<void> {
  for (let i = 0; i < text.length; i += CHUNK) await writeQueued(out, text.slice(i, i + CHUNK));
}

/** Resolves when everything written so far has been handed to the underlying resource. */
export function flushed(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write('', (err) => (err ? reject(err) : resolve()));
  });
}
