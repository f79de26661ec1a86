import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIdentityMatcher } from './identities.js';
import { identityNeedles, runScopePass } from './pass.js';

const RPS = join(fileURLToPath(new URL('../../../test/fixtures/logs', import.meta.url)), 'Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021030301-1.LOG');

test('an export request whose parameters span two lines keeps its -FilePath (no line pre-screen on cmdlet logs)', async () => {
  const issues: unknown[] = [];
  const r = await runScopePass({ files: [{ abs: RPS, path: 'Rps_Cmdlet.LOG', family: 'rps-cmdlet' }], identities: [], matcher: createIdentityMatcher([]), onIssue: (i) => issues.push(i) });
  assert.deepEqual(issues, []);
  assert.deepEqual(r.exports.map((e) => [e.mailbox, e.filePath, e.user]), [['alice', '\\\\ex01\\c$\\x.pst', 'CONTOSO\\admin']]);
});

test('a cmdlet run by an attacker user counts for that user, and its mailbox as touched over PowerShell', async () => {
  const ids = [{ kind: 'user' as const, value: 'admin', from: ['--suspect-user'] }];
  const r = await runScopePass({ files: [{ abs: RPS, path: 'Rps_Cmdlet.LOG', family: 'rps-cmdlet' }], identities: ids, matcher: createIdentityMatcher(ids), onIssue: () => {} });
  const [a] = r.access.attackerResults(() => []);
  assert.deepEqual(a?.cmdlets, { 'Get-Mailbox': 1, 'New-MailboxExportRequest': 1 });
  assert.deepEqual(r.access.mailboxResults(() => false).map((m) => [m.mailbox, m.protocols]), [['alice', { powershell: 1 }]]);
});

test('line pre-screen literals: addresses and user names; none when an identity cannot be one', () => {
  assert.deepEqual(identityNeedles([{ kind: 'address', value: '203.0.113.17', from: [] }, { kind: 'user', value: 'CORP\\Mallory', from: [] }]), ['203.0.113.17', 'mallory']);
  assert.equal(identityNeedles([{ kind: 'address', value: '203.0.113.0/24', from: [] }]), null);
  assert.equal(identityNeedles([{ kind: 'address', value: '2001:db8::1', from: [] }]), null);
  assert.equal(identityNeedles([{ kind: 'user', value: 'ab', from: [] }]), null);
});
