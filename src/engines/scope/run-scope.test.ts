import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScopeTree, ATTACKER } from '../../../test/fixtures/scope/tree.js';
import { validateFinding } from '../../findings/schema.js';
import type { Report } from '../../findings/types.js';
import type { ScopeSection } from './types.js';
import { runScope, type ScopeOptions } from './run-scope.js';

const QUIET = { update() {}, tick() {} };

function options(extra: Partial<ScopeOptions> = {}): ScopeOptions {
  return { asOf: '2026-11-27', raw: false, rules: [], ioc: [], since: undefined, until: undefined, suspectIps: [], suspectUsers: [], ...extra };
}

function scopeOf(r: Report): ScopeSection {
  return r['scope'] as ScopeSection;
}

before(() => {
  process.env.EXHUNT_HOME = mkdtempSync(join(tmpdir(), 'exhunt-scope-home-'));
});

test('one attacker address reads two mailboxes (EWS, OWA), exports one; benign users stay out', async () => {
  const report = await runScope(await buildScopeTree(), options(), QUIET);
  const s = scopeOf(report);
  assert.deepEqual(s.identities.map((i) => [i.kind, i.value]), [['address', ATTACKER]]);
  const byName = new Map(s.mailboxes.map((m) => [m.mailbox, m]));
  const ceo = byName.get('ceo@corp.example');
  assert.deepEqual(ceo?.protocols, { ews: 2 }, 'EWS counted once although IIS logged it too');
  assert.equal(ceo?.exported, true);
  assert.equal(ceo?.bytesSent, 71234);
  const cfo = byName.get('cfo@corp.example');
  assert.deepEqual(cfo?.protocols, { owa: 2 });
  assert.equal(cfo?.bytesSent, 92000, 'sc-bytes of the IIS-only OWA requests');
  assert.equal(cfo?.exported, false);
  assert.ok(![...byName.keys()].some((m) => m.includes('j.doe')), 'benign users reading their own mail are not in the scope');
  const attacker = s.attackers.find((a) => a.address === ATTACKER);
  assert.ok(attacker && attacker.from.length > 0 && attacker.users.includes('CORP\\svc-sync'));
  assert.equal(s.exports.length, 2, 'the attacker export (log + event, merged) and the old routine one');
  const exp = s.exports.find((e) => e.mailbox === 'ceo@corp.example');
  assert.deepEqual(exp?.file && { path: exp.file.path, size: exp.file.size }, { path: 'C/ProgramData/out/ceo.pst', size: 2048 });
  assert.equal(exp?.alsoAt.length, 1);
  assert.deepEqual(s.staged.map((x) => x.path), ['C/ProgramData/out/ceo.pst', 'C/Windows/Temp/d.dat']);
  const sev = (ruleId: string, pred: (t: string) => boolean): string[] =>
    report.findings.filter((f) => f.ruleId === ruleId && pred(f.title)).map((f) => f.severity);
  assert.deepEqual(sev('exhunt-scope-mailbox-access', (t) => t.includes('ceo@')), ['high']);
  assert.deepEqual(sev('exhunt-scope-mailbox-access', (t) => t.includes('hr@')), ['low'], 'only failed requests: low');
  assert.deepEqual(sev('exhunt-scope-mailbox-export', (t) => t.includes('ceo@')), ['high']);
  assert.deepEqual(sev('exhunt-scope-mailbox-export', (t) => t.includes('j.doe')), ['low'], 'a routine export outside the window: low');
  assert.deepEqual(sev('exhunt-scope-archive-staged', (t) => t.includes('pst')), ['high']);
  for (const f of report.findings) assert.deepEqual(validateFinding(f), [], f.ruleId);
  assert.ok(report.findings.filter((f) => f.category === 'exfiltration').every((f) => f.evidence.path !== ''));
});

test('without HttpProxy logs the scope says the logs cannot answer, and IIS is the only witness', async () => {
  const report = await runScope(await buildScopeTree({ httpProxy: false }), options(), QUIET);
  const s = scopeOf(report);
  assert.ok(s.gaps.some((g) => g.source === 'httpproxy' && g.reason === 'no HttpProxy logs in the evidence'));
  const attacker = s.attackers.find((a) => a.address === ATTACKER);
  assert.equal(attacker?.protocols.ews, 1, 'the EWS request counted from IIS');
});

test('no attacker identities: say so; --suspect-ip (CIDR) brings the scope back', async () => {
  const root = await buildScopeTree({ webShellRequest: false });
  const none = scopeOf(await runScope(root, options(), QUIET));
  assert.deepEqual(none.identities, []);
  assert.deepEqual(none.mailboxes, []);
  assert.match(none.notes.join(' '), /No attacker identities.*--suspect-ip/);
  const given = scopeOf(await runScope(root, options({ suspectIps: ['203.0.113.0/24'] }), QUIET));
  assert.deepEqual(given.identities.map((i) => i.from), [['--suspect-ip']]);
  assert.equal(given.window?.from, '2021-03-02T03:05:10.512Z', 'without attacker findings, their requests set the window');
  assert.ok(given.mailboxes.some((m) => m.mailbox === 'cfo@corp.example'));
  assert.ok(!given.mailboxes.some((m) => m.mailbox.includes('j.doe')));
  const byUser = scopeOf(await runScope(root, options({ suspectUsers: ['cfo'] }), QUIET));
  assert.deepEqual(byUser.attackers.map((a) => [a.user, a.requests]), [['cfo', 2]]);
});
