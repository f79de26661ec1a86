import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, formatDuration, parseInterval } from './schedule.js';

test('intervals: 30m, 6h, 1d, 1h30m; out of range and junk are messages', () => {
  assert.equal(parseInterval('30m'), 1_800_000);
  assert.equal(parseInterval('6h'), 21_600_000);
  assert.equal(parseInterval('1d'), 86_400_000);
  assert.equal(parseInterval('1h30m'), 5_400_000);
  assert.match(String(parseInterval('30s')), /between 1m and 30d/);
  assert.match(String(parseInterval('31d')), /between 1m and 30d/);
  for (const bad of ['', '6', 'h', '6 hours', '-1h', '1w']) assert.match(String(parseInterval(bad)), /expected a duration/);
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(45_000), '45s');
});

test('backoff doubles from 30 s to 30 min, honours Retry-After, never passes the next scan', () => {
  assert.deepEqual([1, 2, 3, 10].map((f) => backoffMs(f, 86_400_000)), [30_000, 60_000, 120_000, 1_800_000]);
  assert.equal(backoffMs(1, 86_400_000, 300_000), 300_000);
  assert.equal(backoffMs(5, 10_000), 10_000);
  assert.equal(backoffMs(1, 86_400_000, 0, 0.5), 33_000);
});
