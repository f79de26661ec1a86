import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoMs, micros, parseDuration, parseUtc } from './time.js';

const T = Date.UTC(2021, 2, 3, 2, 14, 8);

test('parseUtc: zones, offsets, no zone as UTC, fractions', () => {
  assert.equal(parseUtc('2021-03-03T02:14:08Z'), T);
  assert.equal(parseUtc('2021-03-03T02:14:08.000Z'), T);
  assert.equal(parseUtc('2021-03-03 02:14:08'), T, 'IIS W3C date and time (UTC, no zone)');
  assert.equal(parseUtc('2021-03-03T02:14:08'), T, 'no zone is UTC, never local time');
  assert.equal(parseUtc('2021-03-03T07:44:08+05:30'), T);
  assert.equal(parseUtc('2021-03-02T21:14:08-05:00'), T);
  assert.equal(parseUtc('2021-03-03T03:14:08+0100'), T);
  assert.equal(parseUtc('2021-03-03T02:14:08.3114567Z'), T + 311, 'fractions beyond ms truncated');
  assert.equal(parseUtc('2021-03-03T02:14:08,5Z'), T + 500);
  assert.equal(parseUtc('2021-03-03'), Date.UTC(2021, 2, 3));
});

test('parseUtc: rejects what is not a time', () => {
  for (const s of ['', 'yesterday', '2021-02-30T00:00:00Z', '2021-13-01', '2021-03-03T24:00:00Z', '2021-03-03T02:14:08+25:00', '1614737648']) {
    assert.equal(parseUtc(s), null, s);
  }
});

test('isoMs and micros', () => {
  assert.equal(isoMs(T + 311), '2021-03-03T02:14:08.311Z');
  assert.equal(micros(T + 311), (T + 311) * 1000);
  assert.equal(String(micros(T)).length, 16, 'microseconds: 16 digits in this era');
});

test('parseDuration', () => {
  assert.equal(parseDuration('2d'), 2 * 86_400_000);
  assert.equal(parseDuration('12h'), 12 * 3_600_000);
  assert.equal(parseDuration('30m'), 30 * 60_000);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('1w'), 604_800_000);
  assert.equal(parseDuration('0'), 0);
  for (const s of ['', '2', '-1d', '2 days', '1y']) assert.equal(parseDuration(s), null, s);
});
