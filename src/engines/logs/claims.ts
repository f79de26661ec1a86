/**
 * A job table threads share: each thread claims the next unclaimed job itself (an atomic
 * compare-and-swap writes its mark into the job's slot), so no thread waits for another to
 * hand it work, and the marks say whose jobs a thread that died leaves unfinished.
 */
export interface Claims {
  readonly buffer: SharedArrayBuffer;
  /** Per job: 0 while unclaimed, else the mark of the thread that took it. */
  readonly owner: Int32Array;
}

export function newClaims(jobs: number): Claims {
  const buffer = new SharedArrayBuffer(4 * Math.max(1, jobs));
  return { buffer, owner: new Int32Array(buffer, 0, jobs) };
}

export function claimsOf(buffer: SharedArrayBuffer, jobs: number): Claims {
  return { buffer, owner: new Int32Array(buffer, 0, jobs) };
}

/**
 * Claims the first unclaimed job at or after `from` for `me` (non-zero); -1 when none is
 * left. A thread passes one past its last claim: everything before it is taken already.
 */
export function claimNext(c: Claims, me: number, from: number): number {
  for (let i = from; i < c.owner.length; i++) {
    if (Atomics.load(c.owner, i) === 0 && Atomics.compareExchange(c.owner, i, 0, me) === 0) return i;
  }
  return -1;
}
