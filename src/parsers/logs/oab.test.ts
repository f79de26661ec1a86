import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leadingTime, OabParser } from './oab.js';
import { createParseStats } from './types.js';

void describe('OABGenerator parser', () => {
  void it('reads a timestamp at the start of a line', () => {
    assert.equal(leadingTime('2021-03-03T02:00:00.123Z,OABGenerator'), '2021-03-03T02:00:00.123Z');
    assert.equal(leadingTime('2021-03-03 02:00:00 text'), '2021-03-03T02:00:00Z');
    assert.equal(leadingTime('[2021-03-03T04:00:00+02:00] x'), '2021-03-03T02:00:00.000Z');
    assert.equal(leadingTime('3/3/2021 2:05:07 PM Download'), '2021-03-03T14:05:07Z');
    assert.equal(leadingTime('12/1/2021 12:00:00 AM x'), '2021-12-01T00:00:00Z');
    assert.equal(leadingTime('no time here'), null);
  });

  void it('keeps the whole line as message and skips blanks and directives', () => {
    const p = new OabParser({ path: 'oab.LOG', onIssue: () => undefined, stats: createParseStats() });
    assert.equal(p.line('', 1), null);
    assert.equal(p.line('#Software: x', 2), null);
    const r = p.line('Download failed and temporary file C:\\x\\y.aspx needs to be removed', 3);
    assert.equal(r?.fields['message'], 'Download failed and temporary file C:\\x\\y.aspx needs to be removed');
    assert.equal(r?.time, null);
    assert.equal(r?.source, 'oab');
  });
});
