import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Coverage, Finding } from '../../findings/types.js';
import { attackWindow, familyGaps, gapSentence, scopeGaps } from './gaps.js';

const W = { from: '2021-03-02T00:00:00.000Z', to: '2021-03-06T00:00:00.000Z' };

function cov(from: string, to: string, gaps: Coverage['gaps'] = []): Coverage {
  return { source: 'iis', files: 1, from, to, gaps };
}

test('attack window: first attacker finding − 1 day .. last + 1 day', () => {
  const f = { time: '2021-03-03T00:00:00Z', firstSeen: '2021-03-03T00:00:00Z', lastSeen: '2021-03-05T00:00:00Z' } as Finding;
  assert.deepEqual(attackWindow([f]), W);
  assert.equal(attackWindow([]), null);
});

test('logs that cover the window leave no gap', () => {
  assert.deepEqual(familyGaps(W, 'iis', 'IIS logs', cov('2021-03-01T00:00:00.000Z', '2021-03-07T00:00:00.000Z')), []);
});

test('missing logs, late start, early end and a gap inside the window are said plainly', () => {
  assert.deepEqual(familyGaps(W, 'httpproxy', 'HttpProxy logs', undefined), [{ ...W, source: 'httpproxy', reason: 'no HttpProxy logs in the evidence' }]);
  const g = familyGaps(W, 'iis', 'IIS logs', cov('2021-03-03T00:00:00.000Z', '2021-03-05T00:00:00.000Z', [{ from: '2021-03-03T06:00:00.000Z', to: '2021-03-04T12:00:00.000Z' }]));
  assert.deepEqual(g.map((x) => [x.from, x.to]), [
    ['2021-03-02T00:00:00.000Z', '2021-03-03T00:00:00.000Z'],
    ['2021-03-03T06:00:00.000Z', '2021-03-04T12:00:00.000Z'],
    ['2021-03-05T00:00:00.000Z', '2021-03-06T00:00:00.000Z'],
  ]);
  assert.match(gapSentence(g[1]!), /^logs cannot answer for 2021-03-03T06:00:00.000Z .. 2021-03-04T12:00:00.000Z: IIS logs have no records/);
  const outside = familyGaps(W, 'iis', 'IIS logs', cov('2021-04-01T00:00:00.000Z', '2021-04-02T00:00:00.000Z'));
  assert.match(outside[0]?.reason ?? '', /outside the window/);
});

test('no window, no gaps; both access families are checked', () => {
  assert.deepEqual(scopeGaps(null, []), []);
  assert.deepEqual(scopeGaps(W, []).map((g) => g.source), ['iis', 'httpproxy']);
});
