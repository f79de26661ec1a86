/**
 * The decompression budget of one archive (`.gz`, or `.zip` with its `.gz` members): how many
 * bytes may come out of it, from the ratio to its size on disk and a total, and how many
 * members are read. A decompression bomb (a 2 MB `.gz` of 2 GB of newlines, a zip of 200,000
 * members) then costs time in proportion to its size on disk, and hitting a limit is one
 * issue that names the archive: what was read before it counts, the rest is not read.
 */

export interface ArchiveLimits {
  /** Bytes out per byte of the archive on disk (gzip's own ceiling is about 1,032). */
  readonly maxRatio: number;
  /** Bytes out that are always allowed, whatever the ratio (small archives of repetitive logs). */
  readonly ratioFloorBytes: number;
  /** Bytes out of one archive, whatever its size. */
  readonly maxTotalBytes: number;
  /** Entries of one zip's central directory looked at (folders and empty members included). */
  readonly maxMembers: number;
}

/**
 * Real IIS and Exchange logs deflate 5-30 to 1 (W3C lines differ in time, address, query); 100
 * leaves room for very repetitive logs (health probes). A 2 MB bomb then yields 200 MB at most.
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxRatio: 100,
  ratioFloorBytes: 64 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 ** 3,
  maxMembers: 20_000,
};

export class ArchiveBudget {
  private out = 0;
  private members = 0;
  /** Why the budget is spent, once it is (then nothing more is read from the archive). */
  exhausted: string | null = null;
  private readonly maxOut: number;

  constructor(
    readonly archiveBytes: number,
    readonly limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
  ) {
    this.maxOut = Math.min(limits.maxTotalBytes, Math.max(limits.ratioFloorBytes, archiveBytes * limits.maxRatio));
  }

  /**
   * Counts `n` bytes out; returns how many of them fit (`n` while within the budget). When they
   * do not all fit, `exhausted` says why and later calls return 0.
   */
  take(n: number): number {
    if (this.exhausted !== null) return 0;
    const room = this.maxOut - this.out;
    if (n <= room) {
      this.out += n;
      return n;
    }
    this.out = this.maxOut;
    this.exhausted = this.maxOut === this.limits.maxTotalBytes
      ? `decompression budget hit: more than ${this.maxOut} bytes out of one archive; the rest is not read`
      : `decompression budget hit: more than ${this.maxOut} bytes out of ${this.archiveBytes} on disk (over ${this.limits.maxRatio}:1, a decompression bomb?); the rest is not read`;
    return room;
  }

  /** Counts one member to read; false (and `exhausted` set) past the member limit. */
  member(): boolean {
    if (this.exhausted !== null) return false;
    this.members += 1;
    if (this.members <= this.limits.maxMembers) return true;
    this.exhausted = `member budget hit: more than ${this.limits.maxMembers} entries in one archive; the rest is not read`;
    return false;
  }
}

/**
 * `chunks` until the budget is spent: the chunk that crosses it is cut at the limit, the
 * issue is reported once (on `path`), and iteration ends (which closes the stream below).
 */
export async function* budgeted(
  chunks: AsyncIterable<Buffer>,
  budget: ArchiveBudget,
  path: string,
  onIssue: (i: { path: string; line: number | null; message: string }) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    const keep = budget.take(chunk.length);
    if (keep === chunk.length) {
      yield chunk;
      continue;
    }
    if (keep > 0) yield chunk.subarray(0, keep);
    onIssue({ path, line: null, message: budget.exhausted ?? 'decompression budget hit' });
    return;
  }
}
