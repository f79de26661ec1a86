import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSpaceCode, trimEndChar, trimWhere } from './trim.js';

test('trimWhere drops the chosen characters at both ends only', () => {
  const drop = (c: number): boolean => isSpaceCode(c) || c === 0x2b || c === 0x22;
  assert.equal(trimWhere(' +"1.2.3.4"+ ', drop), '1.2.3.4');
  assert.equal(trimWhere('a + b', drop), 'a + b');
  assert.equal(trimWhere('+++', drop), '');
  assert.equal(trimWhere('', drop), '');
  const same = 'abc';
  assert.equal(trimWhere(same, drop), same);
});

test('isSpaceCode agrees with the regex class \\s on every BMP code unit', () => {
  for (let c = 0; c < 0x10000; c++) assert.equal(isSpaceCode(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
});

test('trimEndChar removes one trailing run', () => {
  assert.equal(trimEndChar('a/b///', '/'), 'a/b');
  assert.equal(trimEndChar('///', '/'), '');
  assert.equal(trimEndChar('a/b', '/'), 'a/b');
});

test('a long inner run costs one pass (no quadratic backtracking)', () => {
  // 2 MB of separators followed by a character that stops the trim: a regex `[+]+$` tries
  // every start position here (about 2·10^12 steps); the walk stops at the first non-match.
  const s = `1${'+'.repeat(2_000_000)}x`;
  let calls = 0;
  const out = trimWhere(s, (c) => {
    calls++;
    return c === 0x2b;
  });
  assert.equal(out, s);
  assert.equal(calls, 2);
});
