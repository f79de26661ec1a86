import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IMG } from '../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../test/fixtures/server-web/inert.js';
import { barChart, postureBars, trendChart } from './charts.js';

const totals = { servers: 10, exposed: 4, exploitedExposed: 2, compromised: 1, untriaged: 3, unsupported: 1, findingsBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } };

test('posture bars: counts from the totals, widths scaled to the largest', () => {
  const bars = postureBars(totals);
  assert.deepEqual(bars.map((b) => b.value), [4, 2, 1, 1, 6]);
  const svg = barChart(`Posture ${IMG}`, bars).value;
  assertInert(svg);
  assert.ok(svg.includes('aria-label="Posture &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;"'));
  assert.match(svg, /<rect class="bar-ok" x="200" y="\d+" width="220"/, 'largest bar takes the full width');
  assert.match(svg, /<rect class="bar-exposed" x="200" y="\d+" width="147"/);
});

test('trend chart: one pair of columns per day, labels escaped, empty period said', () => {
  const svg = trendChart([{ day: '2026-11-26', reports: 2, findings: 4, exposedServers: 1 }, { day: `2026-11-27${IMG}`, reports: 0, findings: 1, exposedServers: 1 }]).value;
  assertInert(svg);
  assert.equal((svg.match(/class="col-reports"/g) ?? []).length, 2);
  assert.ok(svg.includes('2026-11-27&lt;img'));
  assert.ok(trendChart([]).value.includes('No reports in the period.'));
});
