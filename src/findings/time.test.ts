import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareIso, earlierIso, laterIso } from './time.js';

test('times with and without fractional seconds compare as instants', () => {
  const whole = '2021-03-03T02:14:08Z';
  const frac = '2021-03-03T02:14:08.311Z';
  assert.ok(compareIso(whole, frac) < 0, 'string order would say the opposite');
  assert.equal(earlierIso(frac, whole), whole);
  assert.equal(laterIso(whole, frac), frac);
});

test('offsets are honoured; nulls and unparsable values do not throw', () => {
  assert.equal(compareIso('2021-03-03T07:00:00+05:00', '2021-03-03T02:00:00Z'), 0);
  assert.equal(earlierIso(null, null), null);
  assert.equal(laterIso(null, '2021-01-01T00:00:00Z'), '2021-01-01T00:00:00Z');
  assert.equal(earlierIso('b-not-a-time', 'a-not-a-time'), 'a-not-a-time');
});

test('one instant written two ways gives the same result whatever the argument order', () => {
  const a = '2021-03-03T02:14:08Z';
  const b = '2021-03-03T02:14:08.000Z';
  assert.equal(earlierIso(a, b), earlierIso(b, a));
  assert.equal(laterIso(a, b), laterIso(b, a));
  assert.equal(laterIso(a, b), b);
});
