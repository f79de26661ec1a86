/** Next steps: containment first when compromised, keyed on declared properties; nothing but checks for a clean, current server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FILES, fileFinding, makeReport } from '../../test/fixtures/remediate/tree.js';
import type { Finding, Report } from '../findings/types.js';
import { nextSteps, type StepContext } from './next-steps.js';

const exploitation: Finding = {
  ...fileFinding(DEFAULT_FILES[0] ?? { rel: 'x', content: '', category: 'webshell' }),
  id: 'e1', ruleId: 'exhunt-test-ssrf', category: 'exploitation', evidence: { kind: 'log', path: 'C/inetpub/logs/x.log', line: 3 },
  details: { aggregated: { clientIp: '203.0.113.9' } },
};

/** The default files with the dump declared as credential dumping (ATT&CK T1003.001). */
function files(): Finding[] {
  return DEFAULT_FILES.map((f) => fileFinding(f)).map((f) => (f.category === 'artifact' ? { ...f, attack: ['T1003.001'] } : f));
}

function compromised(): Report {
  const base = makeReport('/r', [...files(), exploitation]);
  return {
    ...base,
    posture: { build: '15.2.792.10', product: 'Exchange Server 2019', cu: 'CU8', su: 'Mar21SU', buildSource: 'option', supported: true,
      openCves: ['CVE-2022-41040'], openCvesIfConfigured: [], fixedBy: { su: 'Nov22SU', build: '15.2.986.36' } },
    coverage: [{ source: 'iis', files: 1, from: '2021-03-01T00:00:00Z', to: '2021-03-03T00:00:00Z', gaps: [] }],
  };
}

const COMPROMISED: StepContext = { compromise: 'compromised', exposure: 'exposed', noFixesSince: null, jsonReport: null, gaps: [] };

test('a compromised server: contain and preserve first, then quarantine, update, credentials, access review, logs, verify', () => {
  const steps = nextSteps(compromised(), COMPROMISED);
  assert.deepEqual(steps.map((s) => s.kind), ['contain', 'preserve', 'quarantine', 'update', 'credentials', 'review-access', 'logs', 'verify']);
  assert.deepEqual(steps.map((s) => s.order), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.match(steps[0]?.text ?? '', /off the internet/);
  assert.match(steps[1]?.text ?? '', /exhunt scan \/r --format json --output REPORT\.json/, 'quarantine needs a JSON report: the step says to write one');
  assert.equal(steps[2]?.items.length, 3);
  assert.match(steps[2]?.text ?? '', /exhunt quarantine REPORT\.json --vault DIR/);
  assert.match(steps[3]?.text ?? '', /Nov22SU, build 15\.2\.986\.36/);
  assert.match(steps[4]?.text ?? '', /credential dump/);
  assert.deepEqual(steps[5]?.items, ['203.0.113.9']);
});

test('a JSON report being written is the one quarantine is told to use', () => {
  const steps = nextSteps(compromised(), { ...COMPROMISED, jsonReport: 'ex01.json' });
  assert.match(steps.find((s) => s.kind === 'quarantine')?.text ?? '', /exhunt quarantine ex01\.json --vault DIR/);
  assert.doesNotMatch(steps.find((s) => s.kind === 'preserve')?.text ?? '', /--format json/);
});

test('look-alike: a file titled "dump" without ATT&CK T1003 is not a credential dump', () => {
  const r = makeReport('/r', DEFAULT_FILES.map((f) => ({ ...fileFinding(f), title: 'memory dump of lsass' })));
  const cred = nextSteps(r, COMPROMISED).find((s) => s.kind === 'credentials');
  assert.doesNotMatch(cred?.text ?? '', /credential dump/);
});

test('a clean, current server with logs: only the log and verification steps', () => {
  const r: Report = { ...makeReport('/r', []), coverage: [{ source: 'iis', files: 1, from: null, to: null, gaps: [] }] };
  assert.deepEqual(nextSteps(r, { ...COMPROMISED, compromise: 'none-found', exposure: 'not-exposed' }).map((s) => s.kind), ['verify']);
});

test('low-severity file findings do not call for quarantine', () => {
  const low = DEFAULT_FILES.map((f) => fileFinding({ ...f, severity: 'low' }));
  assert.ok(!nextSteps(makeReport('/r', low), { ...COMPROMISED, compromise: 'suspicious' }).some((s) => s.kind === 'quarantine'));
});

test('mitigation steps come from findings declared as mitigations, not from their rule ids', () => {
  const mit: Finding = { ...exploitation, id: 'm1', ruleId: 'other.rule', category: 'posture', severity: 'high', cves: ['CVE-2022-41040'], details: { kind: 'mitigation', action: 'add' } };
  const lookAlike: Finding = { ...mit, id: 'm2', ruleId: 'mitigation.x', details: {} };
  const ctx: StepContext = { ...COMPROMISED, compromise: 'none-found', exposure: 'not-exposed' };
  assert.deepEqual(nextSteps(makeReport('/r', [mit]), ctx).find((s) => s.kind === 'mitigate')?.items, ['CVE-2022-41040']);
  assert.ok(!nextSteps(makeReport('/r', [lookAlike]), ctx).some((s) => s.kind === 'mitigate'));
});
