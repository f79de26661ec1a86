/** ScanContext: the same problem is listed once in `errors`, however often it is met. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanContext } from './context.js';

const OPTIONS = { asOf: '2026-01-01T00:00:00Z', raw: false, rules: [], ioc: [], since: undefined, until: undefined };
const progress = { update: (): void => undefined, tick: (): void => undefined };

test('errors has no duplicates; parser issues still count as skipped records', () => {
  const ctx = new ScanContext(OPTIONS, progress);
  ctx.error('a/b.log', null, 'cannot read folder (EACCES)');
  ctx.error('a/b.log', null, 'cannot read folder (EACCES)');
  ctx.issue({ path: 'a/b.log', line: 3, message: 'bad line' });
  ctx.issue({ path: 'a/b.log', line: 3, message: 'bad line' });
  ctx.issue({ path: 'a/b.log', line: 4, message: 'bad line' });
  ctx.error('a/b.log', 3, 'other');
  assert.deepEqual(ctx.errors, [
    { path: 'a/b.log', line: null, message: 'cannot read folder (EACCES)' },
    { path: 'a/b.log', line: 3, message: 'bad line' },
    { path: 'a/b.log', line: 4, message: 'bad line' },
    { path: 'a/b.log', line: 3, message: 'other' },
  ]);
  assert.equal(ctx.counters.skippedRecords, 3);
});
