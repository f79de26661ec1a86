import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from './summary.js';
import { makeFinding, sampleFindings, sampleReport } from '../../test/fixtures/report/sample-report.js';

void test('summarize counts by severity and category, and at or above the threshold', () => {
  const s = summarize(sampleReport());
  assert.equal(s.total, 8);
  assert.deepEqual(s.bySeverity, { critical: 1, high: 2, medium: 3, low: 1, info: 1 });
  assert.equal(s.byCategory.exploitation, 3);
  assert.equal(s.byCategory.webshell, 1);
  assert.equal(s.byCategory.persistence, 0);
  assert.equal(s.threshold, 'medium');
  assert.equal(s.atOrAbove, 6);
  assert.equal(summarize(sampleReport(), { threshold: 'high' }).atOrAbove, 3);
  assert.equal(summarize(sampleReport(), { threshold: 'info' }).atOrAbove, 8);
  assert.equal(s.errors, 2);
});

void test('summarize names the worst finding only when it reaches the threshold', () => {
  assert.equal(summarize(sampleReport()).worst?.category, 'webshell');
  const lowOnly = sampleFindings().filter((f) => f.severity === 'low' || f.severity === 'info');
  assert.equal(summarize(sampleReport(lowOnly)).worst, null);
});

void test('summarize groups by severity, most severe first, each group in time order', () => {
  const s = summarize(sampleReport());
  assert.deepEqual(s.groups.map((g) => g.severity), ['critical', 'high', 'medium', 'low', 'info']);
  const high = s.groups[1]?.findings.map((f) => f.time);
  assert.deepEqual(high, ['2021-03-03T01:02:03Z', '2021-08-12T17:40:00Z']);
  const medium = s.groups[2]?.findings.map((f) => f.ruleId);
  assert.deepEqual(medium, ['ioc:ip', 'file-lsass-dump', '5f0c2f63-0b3d-4d2c-9a36-0c2f5f6c4e11']);
});

void test('summarize spans first to last sighting and ignores untimed findings', () => {
  assert.deepEqual(summarize(sampleReport()).span, { from: '2021-03-03T00:59:58.000Z', to: '2021-08-13T09:30:00.000Z' });
  const untimed = sampleFindings().filter((f) => f.time === null);
  assert.equal(summarize(sampleReport(untimed)).span, null);
  assert.equal(summarize(sampleReport([])).total, 0);
});

void test('summarize ranks rules by number of findings, then hits', () => {
  const base = sampleFindings()[0];
  assert.ok(base);
  const extra = [2, 3].map((line) => makeFinding({ ...base, evidence: { ...base.evidence, line } }));
  const s = summarize(sampleReport([...sampleFindings(), ...extra]), { topRules: 2 });
  assert.deepEqual(
    s.topRules.map((r) => [r.ruleId, r.findings, r.hits]),
    [['exchange-proxylogon-ssrf-serverinfo', 3, 42], ['iis-proxyshell-autodiscover-failed', 1, 120]],
  );
});
