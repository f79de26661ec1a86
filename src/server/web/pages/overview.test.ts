import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IMG, SCRIPT, hostileServer } from '../../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../../test/fixtures/server-web/inert.js';
import type { FleetTotals } from '../../store/types.js';
import { renderOverview, type OverviewFilters } from './overview.js';

const viewer = { name: `ann ${SCRIPT}`, role: 'viewer', csrf: 'tok"en' } as const;
const totals: FleetTotals = { servers: 120, exposed: 30, exploitedExposed: 7, compromised: 3, untriaged: 11, unsupported: 5,
  findingsBySeverity: { critical: 1, high: 2, medium: 3, low: 4, info: 5 } };
const filters: OverviewFilters = { search: `${SCRIPT}"`, minSeverity: 'high', exposedOnly: true, sort: 'openCves', desc: true, limit: 50, offset: 50 };

function doc(): string {
  return renderOverview({
    viewer, filters, totals, servers: { items: [hostileServer(), hostileServer({ id: 'srv/2', name: 'EX02', maxSeverity: null, openCves: 0, openExploitedCves: 0, untriaged: 0 })], total: 120 },
    trend: [{ day: '2026-11-26', reports: 10, findings: 40, exposedServers: 30 }, { day: `2026-11-27${IMG}`, reports: 12, findings: 3, exposedServers: 29 }],
  });
}

test('overview: hostile server names, products and search text are inert text', () => {
  const d = doc();
  assertInert(d);
  assert.ok(d.includes('EX01 &lt;script&gt;window.__pwned=1&lt;/script&gt;'));
  assert.ok(d.includes('Exchange Server 2019 &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;'));
  assert.ok(d.includes('value="&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;"'));
  assert.ok(d.includes('ann &lt;script&gt;'));
});

test('overview: rows link to the server page; totals, charts, sort links and pager', () => {
  const d = doc();
  assert.ok(d.includes('href="/servers/srv%2F2"'));
  assert.match(d, /<span class="n">120<\/span><span class="l">servers<\/span>/);
  assert.equal((d.match(/<svg /g) ?? []).length, 2);
  assert.ok(d.includes('<th scope="col" aria-sort="descending"><a href="/?search='), 'active sort column');
  // Clicking the active column flips to ascending; filters stay on every link.
  assert.match(d, /href="\/\?search=[^"]*&amp;minSeverity=high&amp;exposed=1&amp;sort=openCves">Open CVEs \/ exploited ▼/);
  assert.match(d, /51–100 of 120/);
  assert.match(d, /href="\/\?[^"]*offset=100">next ›/);
  assert.ok(d.includes('<option value="high" selected>'));
  assert.ok(d.includes('name="exposed" value="1" checked'));
  assert.ok(d.includes('<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="tok&quot;en">'));
  assert.ok(!d.includes('href="/admin"'), 'viewer sees no admin link');
});

test('overview: an empty fleet says so', () => {
  const d = renderOverview({ viewer, filters: { ...filters, search: undefined, offset: 0 }, totals: { ...totals, servers: 0, exposed: 0 }, servers: { items: [], total: 0 }, trend: [] });
  assertInert(d);
  assert.ok(d.includes('No server matches.'));
  assert.ok(d.includes('No reports in the period.'));
});
