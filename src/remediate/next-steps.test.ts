/** Next steps: order and content from a report; nothing to do for a clean, current server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FILES, fileFinding, makeReport } from '../../test/fixtures/remediate/tree.js';
import type { Finding, Report } from '../findings/types.js';
import { nextSteps } from './next-steps.js';

const exploitation: Finding = {
  ...fileFinding(DEFAULT_FILES[0] ?? { rel: 'x', content: '', category: 'webshell' }),
  id: 'e1', ruleId: 'exhunt-test-ssrf', category: 'exploitation', evidence: { kind: 'log', path: 'C/inetpub/logs/x.log', line: 3 },
  details: { aggregated: { clientIp: '203.0.113.9' } },
};

function compromised(): Report {
  const base = makeReport('/r', [...DEFAULT_FILES.map((f) => fileFinding(f)), exploitation]);
  return {
    ...base,
    posture: { build: '15.2.792.10', product: 'Exchange Server 2019', cu: 'CU8', su: 'Mar21SU', buildSource: 'option', supported: false,
      openCves: ['CVE-2022-41040'], openCvesIfConfigured: [], fixedBy: { su: 'Nov22SU', build: '15.2.986.36' } },
    coverage: [{ source: 'iis', files: 1, from: '2021-03-01T00:00:00Z', to: '2021-03-03T00:00:00Z', gaps: [] }],
  };
}

test('a compromised server: quarantine, update, credentials, access review, logs, verify, in that order', () => {
  const steps = nextSteps(compromised(), 'r.json');
  assert.deepEqual(steps.map((s) => s.kind), ['quarantine', 'update', 'credentials', 'review-access', 'logs', 'verify']);
  assert.deepEqual(steps.map((s) => s.order), [1, 2, 3, 4, 5, 6]);
  assert.equal(steps[0]?.items.length, 3);
  assert.match(steps[0]?.text ?? '', /exhunt quarantine r\.json --vault DIR/);
  assert.match(steps[1]?.text ?? '', /Nov22SU, build 15\.2\.986\.36 \(this version is out of support\)/);
  assert.match(steps[2]?.text ?? '', /credential dump/);
  assert.deepEqual(steps[3]?.items, ['203.0.113.9']);
});

test('a clean, current server with logs: only the verification step', () => {
  const r: Report = { ...makeReport('/r', []), coverage: [{ source: 'iis', files: 1, from: null, to: null, gaps: [] }] };
  assert.deepEqual(nextSteps(r).map((s) => s.kind), ['verify']);
});

test('low-severity file findings do not call for quarantine', () => {
  const low = DEFAULT_FILES.map((f) => fileFinding({ ...f, severity: 'low' }));
  assert.ok(!nextSteps(makeReport('/r', low)).some((s) => s.kind === 'quarantine'));
});
