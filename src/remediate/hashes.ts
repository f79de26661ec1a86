/** md5/sha1/sha256 of a stream in one pass (md5 and sha1 for matching other tools' IOC lists). */
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Digests {
  readonly size: number;
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
}

/** A pass-through stream that hashes what flows through it; `digests()` once it has ended. */
export class HashTap extends Transform {
  private readonly hashes: readonly [Hash, Hash, Hash] = [createHash('md5'), createHash('sha1'), createHash('sha256')];
  private size = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    for (const h of this.hashes) h.update(chunk);
    cb(null, chunk);
  }

  digests(): Digests {
    const [md5, sha1, sha256] = this.hashes;
    return { size: this.size, md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
  }
}

/** Hashes a whole file from an open handle (from offset 0; the handle stays open). */
export async function hashHandle(fh: FileHandle): Promise<Digests> {
  const tap = new HashTap();
  const src = fh.createReadStream({ start: 0, autoClose: false });
  await pipeline(src, tap, async (s: AsyncIterable<unknown>) => {
    for await (const _ of s) void _;
  });
  return tap.digests();
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
