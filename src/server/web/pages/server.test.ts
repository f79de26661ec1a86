import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileFindings, hostileReport, hostileServer, hostileStored, NOW } from '../../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../../test/fixtures/server-web/inert.js';
import { renderServer } from './server.js';

const viewer = { name: 'ann', role: 'analyst', csrf: 't' } as const;

function doc(): string {
  const report = hostileReport();
  const [a, b] = hostileFindings();
  if (a === undefined || b === undefined) throw new Error('fixture');
  return renderServer({
    viewer, server: hostileServer(), newest: report,
    findings: { items: [hostileStored(a), hostileStored(b), hostileStored(b, { id: 'sf-old', findingId: 'gone' })], total: 75 }, findingsPage: { limit: 50, offset: 0 },
    reports: { items: [{ id: 'rep-1', serverId: 'srv-1', receivedAt: NOW, source: 'agent', sha256: 'f'.repeat(64), toolVersion: '0.1.0', asOf: '2026-11-27', findings: 2, maxSeverity: 'critical', bytes: 12345 }], total: 1 },
    reportsPage: { limit: 20, offset: 0 },
  });
}

test('server page: hostile evidence, excerpts, coverage and rule refs are inert text', () => {
  const d = doc();
  assertInert(d);
  assert.ok(d.includes('<pre class="excerpt">&lt;script&gt;window.__pwned=1&lt;/script&gt;\n&lt;/textarea&gt;&lt;/pre&gt;&lt;svg onload=window.__pwned=1&gt;</pre>'));
  assert.ok(d.includes('<code class="path">C/inetpub/wwwroot/aspnet_client/photogpj.aspx</code>'), 'bidi override removed');
  assert.ok(d.includes('<dt>userAgent</dt><dd>Mozilla/5.0 red agent </dd>'), 'ANSI removed from the user agent');
  assert.ok(d.includes('<dt>referer</dt><dd>javascript:window.__pwned=1//</dd>'), 'javascript: URL as text');
  assert.ok(d.includes('iis &lt;img src=x onerror='));
  assert.ok(d.includes('Server EX01 &lt;script&gt;'));
});

test('server page: posture with the update to install, coverage gaps, findings pager, report history', () => {
  const d = doc();
  assert.match(d, /<dt>Update to install<\/dt><dd><strong>[^<]+<\/strong>/);
  assert.ok(d.includes('<code>15.2.792.3</code>'));
  assert.match(d, /<ul class="gaps"><li><time datetime="2021-03-02T00:00:00Z">2021-03-02 00:00 UTC<\/time> – /);
  assert.ok(d.includes('not in the newest report: see the finding'));
  assert.match(d, /1–50 of 75/);
  assert.match(d, /href="\/servers\/srv-1\?offset=50">next ›/);
  assert.ok(d.includes('href="/api/v1/reports/rep-1">JSON</a>'));
  assert.ok(d.includes('href="/findings?serverId=srv-1"'));
});

test('server page without a report says what is missing', () => {
  const d = renderServer({ viewer, server: hostileServer({ reports: 0, lastReportAt: null }), newest: null, findings: { items: [], total: 0 }, findingsPage: { limit: 50, offset: 0 },
    reports: { items: [], total: 0 }, reportsPage: { limit: 20, offset: 0 } });
  assertInert(d);
  assert.ok(d.includes('carries no posture'));
  assert.ok(d.includes('lists no log coverage'));
});
