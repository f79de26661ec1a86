// The shared job table: every job is claimed exactly once, in order, whoever asks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { claimNext, claimsOf, newClaims } from './claims.js';

void test('threads taking turns claim each job once, in order, and marks name the taker', () => {
  const c = newClaims(5);
  const a = claimNext(c, 1, 0);
  const b = claimNext(c, 2, 0);
  const a2 = claimNext(c, 1, a + 1);
  assert.deepEqual([a, b, a2], [0, 1, 2]);
  assert.equal(claimNext(c, 2, b + 1), 3);
  assert.equal(claimNext(c, 7, 0), 4, 'a thread starting from 0 skips what others took');
  assert.equal(claimNext(c, 1, 0), -1, 'none left');
  assert.deepEqual([...c.owner], [1, 2, 1, 2, 7]);
});

void test('an empty table has nothing to claim', () => {
  assert.equal(claimNext(newClaims(0), 1, 0), -1);
});

void test('two threads racing over one table never take the same job', async () => {
  const jobs = 20_000;
  const c = newClaims(jobs);
  // The other thread runs the same compare-and-swap loop on the shared buffer.
  const src = `
    const { workerData, parentPort } = require('node:worker_threads');
    const owner = new Int32Array(workerData.buffer, 0, workerData.jobs);
    let n = 0;
    for (let i = 0; i < owner.length; i++) if (Atomics.load(owner, i) === 0 && Atomics.compareExchange(owner, i, 0, 2) === 0) n++;
    parentPort.postMessage(n);`;
  const w = new Worker(src, { eval: true, workerData: { buffer: c.buffer, jobs } });
  const theirs = new Promise<number>((resolve) => w.once('message', resolve));
  let mine = 0;
  for (let i = claimNext(c, 1, 0); i !== -1; i = claimNext(c, 1, i + 1)) mine++;
  const other = await theirs;
  await w.terminate();
  assert.equal(mine + other, jobs, 'every job taken once');
  const seen = claimsOf(c.buffer, jobs).owner;
  assert.equal(seen.filter((m) => m === 1).length, mine);
  assert.equal(seen.filter((m) => m === 2).length, other);
});
