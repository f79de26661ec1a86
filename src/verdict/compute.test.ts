/** The verdict: every compromise and exposure value, each with a look-alike that must not give it; counts kept apart. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Report } from '../findings/types.js';
import { finding, postureOf, report } from '../../test/fixtures/verdict/report.js';
import { validateReport } from '../findings/schema.js';
import { computeVerdict, examinedParts, withVerdict } from './compute.js';

function withoutExamined(r: Report): Report {
  return Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'examined')) as unknown as Report;
}

test('compromised: a web shell at critical; the count is of compromise findings only', () => {
  const exposed = postureOf('15.2.792.10');
  const r = report({ posture: exposed.posture, findings: [finding({ category: 'webshell', severity: 'critical' }), ...exposed.findings] });
  const v = computeVerdict(r);
  assert.equal(v.compromise, 'compromised');
  assert.equal(v.compromiseFindings, 1);
  assert.equal(v.exposure, 'exposed');
  assert.ok(v.openCves.length > 100);
  assert.equal(exposed.findings.length, 1, 'exposure is one item, not one finding per CVE');
  assert.deepEqual(v.reasons[0]?.findings, [r.findings[0]?.id]);
  assert.match(v.reasons[0]?.text ?? '', /^Web shells \(1 finding\)/);
});

test('look-alike: an exposure item at critical is not evidence of compromise', () => {
  const exposed = postureOf('15.2.792.10');
  assert.equal(exposed.findings[0]?.severity, 'critical');
  const v = computeVerdict(report({ posture: exposed.posture, findings: exposed.findings }));
  assert.equal(v.compromise, 'none-found');
  assert.equal(v.compromiseFindings, 0);
  assert.equal(v.suspiciousFindings, 0);
});

test('suspicious: a failed attempt (low, confident) or weaker evidence (medium, low confidence)', () => {
  const attempt = computeVerdict(report({ findings: [finding({ category: 'exploitation', severity: 'low', confidence: 'high', kind: 'log' })] }));
  assert.equal(attempt.compromise, 'suspicious');
  assert.equal(attempt.suspiciousFindings, 1);
  assert.equal(attempt.compromiseFindings, 0);
  const weak = computeVerdict(report({ findings: [finding({ category: 'webshell', severity: 'medium', confidence: 'low' })] }));
  assert.equal(weak.compromise, 'suspicious');
  assert.ok(weak.nextSteps.some((s) => s.kind === 'review-attempts'));
  assert.ok(!weak.nextSteps.some((s) => s.kind === 'contain'));
});

test('look-alike: context (low and low confidence, or info) leaves none-found', () => {
  const v = computeVerdict(report({ findings: [
    finding({ category: 'exploitation', severity: 'low', confidence: 'low', kind: 'log' }, 1),
    finding({ category: 'ioc', severity: 'info', confidence: 'high' }, 2),
  ] }));
  assert.equal(v.compromise, 'none-found');
  assert.equal(v.suspiciousFindings, 0);
});

test('not-examined: a posture-only report, new (examined) and old (no examined, remote target)', () => {
  const p = postureOf('15.2.2562.53');
  const v = computeVerdict(report({ posture: p.posture, findings: p.findings, examined: ['posture'], coverage: [] }));
  assert.equal(v.compromise, 'not-examined');
  assert.deepEqual(v.coverageGaps.map((g) => g.kind), ['no-hunt']);
  assert.ok(v.nextSteps.some((s) => s.kind === 'collect'));
  const old = withoutExamined(report({ posture: p.posture, target: { kind: 'remote', root: 'build:15.2.2562.53', hostname: null }, coverage: [] }));
  assert.deepEqual(examinedParts(old), ['posture']);
  assert.equal(computeVerdict(old).compromise, 'not-examined');
});

test('look-alike: a hunt of logs only is examined; what it did not cover is part of the verdict', () => {
  const v = computeVerdict(report({ examined: ['logs'], target: { kind: 'paths', root: 'logs/', hostname: null } }));
  assert.equal(v.compromise, 'none-found');
  assert.equal(v.exposure, 'unknown');
  const gap = v.coverageGaps.find((g) => g.kind === 'not-examined');
  assert.deepEqual(gap?.items, ['events', 'files']);
  assert.ok(v.reasons.some((r) => r.about === 'coverage' && /event logs, files/.test(r.text)));
});

test('coverage gaps: sources not found, log gaps over a day, errors', () => {
  const r: Report = {
    ...report({
      coverage: [{ source: 'iis', files: 3, from: '2026-11-01T00:00:00Z', to: '2026-11-30T00:00:00Z', gaps: [{ from: '2026-11-10T00:00:00Z', to: '2026-11-12T00:00:00Z' }] }],
      discovery: [
        { kind: 'evtx', label: 'Event logs', found: false, paths: [], count: 0, note: 'no event logs (.evtx)' },
        { kind: 'registry-exports', label: 'Registry exports', found: false, paths: [], count: 0, note: 'optional' },
      ],
    }),
    errors: [
      { path: 'C/x.log', line: null, message: 'unreadable' },
      { path: 'rules/', line: null, message: 'YARA could not load', notChecked: 'web-shell YARA rules' },
      { path: 'rules/b', line: null, message: 'YARA could not load', notChecked: 'web-shell YARA rules' },
    ],
  };
  const gaps = computeVerdict(r).coverageGaps;
  assert.deepEqual(gaps.map((g) => g.kind), ['not-found', 'log-gap', 'logs-span', 'not-checked', 'errors']);
  assert.equal(gaps[3]?.text, 'not checked: web-shell YARA rules (YARA could not load)');
});

test('exposed: open CVEs carry severities and exploited flags', () => {
  const p = postureOf('15.2.792.10');
  const v = computeVerdict(report({ posture: p.posture, findings: p.findings }));
  const proxyShell = v.openCves.find((c) => c.id === 'CVE-2021-34473');
  assert.equal(proxyShell?.severity, 'critical');
  assert.equal(proxyShell?.exploited, true);
  assert.deepEqual(v.reasons.find((r) => r.about === 'exposure')?.findings, [p.findings[0]?.id]);
});

test('exposed: Exchange 2010 SP3 and 2013 CU23 (out of support) even with no open CVE listed', () => {
  for (const [build, since] of [['14.3.513.0', '2021-03-02'], ['15.0.1497.48', '2023-03-14']] as const) {
    const p = postureOf(build);
    assert.equal(p.posture.openCves.length, 0, build);
    const v = computeVerdict(report({ posture: p.posture, findings: p.findings }));
    assert.equal(v.exposure, 'exposed', build);
    assert.equal(v.noFixesSince, since, build);
    assert.match(v.reasons.find((r) => r.about === 'exposure')?.text ?? '', /no security fixes since .*assume every later flaw is open/);
    assert.equal(p.findings.length, 1);
    assert.match(p.findings[0]?.title ?? '', /^Exposed: out of support/);
    assert.ok(v.nextSteps.some((s) => s.kind === 'disconnect'), build);
  }
});

test('unknown: a build newer than the KB, a malformed one, no build at all; never not-exposed', () => {
  for (const build of ['15.2.1748.99', 'x.y']) {
    const p = postureOf(build);
    const v = computeVerdict(report({ posture: p.posture, findings: p.findings }));
    assert.equal(v.exposure, 'unknown', build);
    assert.equal(p.findings.length, 1);
    assert.match(p.findings[0]?.title ?? '', /^Exposure unknown/);
  }
  assert.equal(computeVerdict(report({ posture: null })).exposure, 'unknown');
  const newer = computeVerdict(report({ posture: postureOf('15.2.1748.99').posture }));
  assert.equal(newer.nextSteps[0]?.kind, 'identify-build');
});

test('unknown: CVEs fixed only when configured (configuration not checked)', () => {
  const p = postureOf('15.2.2562.53');
  const base = p.posture;
  const cveDetails = [{ id: 'CVE-2024-21410', severity: 'high', exploited: true, kev: true, cvss: 9.8, title: 'x', ifConfigured: true, fixedByDefault: false }];
  const v = computeVerdict(report({ posture: { ...base, openCves: [], openCvesIfConfigured: ['CVE-2024-21410'], cveDetails } }));
  assert.equal(v.exposure, 'unknown');
  assert.deepEqual(v.openCves.map((c) => c.id), ['CVE-2024-21410']);
});

test('not-exposed: a current, supported build; look-alike: fixes on by default stay not-exposed', () => {
  const p = postureOf('15.2.2562.53');
  assert.ok(p.posture.openCvesIfConfigured.length > 0, 'the SE build has CVEs whose fix is on by default');
  assert.equal(p.findings.length, 0);
  const v = computeVerdict(report({ posture: p.posture, findings: p.findings }));
  assert.equal(v.exposure, 'not-exposed');
  assert.deepEqual(v.openCves, []);
  assert.deepEqual(v.nextSteps.map((s) => s.kind), ['logs', 'verify']);
});

test('a report with its verdict validates against schema/report.v1.json; a bad verdict value does not', () => {
  const p = postureOf('15.2.792.10');
  const r = withVerdict(report({ posture: p.posture, findings: [finding({ category: 'webshell', severity: 'high' }), ...p.findings] }), { jsonReport: 'r.json' });
  const doc = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
  assert.deepEqual(validateReport(doc), []);
  const bad = { ...doc, verdict: { ...(doc.verdict as Record<string, unknown>), compromise: 'maybe' } };
  assert.equal(validateReport(bad).length, 1);
  assert.deepEqual(r.nextSteps, r.verdict?.nextSteps);
});
