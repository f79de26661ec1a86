/** Writing to a report sink with backpressure: wait for 'drain' when the stream asks for it. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes one chunk; resolves at once, or after 'drain' when the stream's buffer is full. */
export async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

const CHUNK = 64 * 1024;

/** Writes a long string in 64 KiB pieces, honouring backpressure between them. */
export async function writeLong(out: Writable, text: string): Promise<void> {
  for (let i = 0; i < text.length; i += CHUNK) await writeChunk(out, text.slice(i, i + CHUNK));
}

/** Resolves when everything written so far has been handed to the underlying resource. */
export function flushed(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write('', (err) => (err ? reject(err) : resolve()));
  });
}
