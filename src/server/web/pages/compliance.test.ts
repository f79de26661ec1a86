import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IMG, SCRIPT } from '../../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../../test/fixtures/server-web/inert.js';
import type { DirectiveInfo } from '../../api/directives.js';
import { renderCompliance } from './compliance.js';

const viewer = { name: 'ann', role: 'viewer', csrf: 'c' } as const;
const ed: DirectiveInfo = { id: 'ED-21-02-SDv2', name: 'CISA ED 21-02 Supplemental Direction V2', kind: 'build', deadline: '2021-04-16', maxAgeDays: null, summary: 'Install the April 2021 SU', source: 'https://www.cisa.gov/x' };
const hunt: DirectiveInfo = { id: 'hunt-30d', name: 'Hunt every 30 days', kind: 'hunt-reported', deadline: null, maxAgeDays: 30, summary: null, source: 'policy' };
const counts = { compliant: 1, notCompliant: 1, unknown: 1 };
const row = { lastReportAt: null, daysLeft: 3 };

test('compliance page: status per server, counts, countdown, export links; hostile names inert', () => {
  const d = renderCompliance({
    viewer, directives: [ed, hunt], directive: ed, asOf: '2021-04-13', total: 3, limit: 50, offset: 0, counts,
    rows: [
      { ...row, serverId: 's1', server: `EX01 ${SCRIPT}`, build: '15.2.858.10', status: 'compliant', reason: 'includes Apr21SU' },
      { ...row, serverId: 's2', server: 'EX02', build: '15.2.792.3', status: 'not_compliant', reason: `lacks Apr21SU ${IMG}` },
      { ...row, serverId: 's3', server: 'EX03', build: null, status: 'unknown', reason: 'no build known' },
    ],
  });
  assertInert(d);
  assert.ok(d.includes('Deadline <strong>2021-04-16</strong> · judged at 2021-04-13 · <span class="countdown open">3 days left</span>'));
  assert.ok(d.includes('href="/api/v1/compliance?directive=ED-21-02-SDv2&amp;format=csv">CSV</a>'));
  assert.ok(d.includes('href="/api/v1/compliance?directive=ED-21-02-SDv2">JSON</a>'));
  assert.ok(d.includes('<span class="badge cs-not_compliant">not compliant</span></td><td>lacks Apr21SU &lt;img'));
  assert.match(d, /<span class="n">1<\/span><span class="l">not compliant<\/span>/);
  assert.ok(d.includes('EX01 &lt;script&gt;'));
  assert.ok(d.includes('<option value="ED-21-02-SDv2" selected>'));
  assert.ok(d.includes('source: <a href="https://www.cisa.gov/x" rel='));
  assert.ok(!d.includes('Time left'), 'one deadline for all: no per-server countdown');
});

test('compliance page: a hunt directive, a past deadline, and no directive', () => {
  const h = renderCompliance({ viewer, directives: [ed, hunt], directive: hunt, asOf: '2026-11-27', total: 1, limit: 50, offset: 0, counts,
    rows: [{ ...row, daysLeft: -4, serverId: 's2', server: 'EX02', build: null, status: 'not_compliant', reason: 'last hunt 34 days ago' }] });
  assertInert(h);
  assert.ok(h.includes('reported at least every <strong>30 days</strong>'));
  assert.ok(h.includes('<th scope="col">Time left</th>'));
  assert.ok(h.includes('<span class="countdown past">4 days past the deadline</span>'));
  assert.ok(h.includes('source: policy</p>'));
  const past = renderCompliance({ viewer, directives: [ed], directive: ed, asOf: '2026-11-27', total: 0, limit: 50, offset: 0, counts, rows: [] });
  assert.match(past, /<span class="countdown past">2051 days past the deadline<\/span>/);
  const none = renderCompliance({ viewer, directives: [], directive: null, asOf: '2026-11-27', total: 0, limit: 50, offset: 0, counts, rows: [] });
  assertInert(none);
  assert.ok(none.includes('No directive is defined.'));
});
