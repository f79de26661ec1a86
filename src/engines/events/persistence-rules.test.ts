/**
 * The persistence event rules (content/rules/events/persistence-*.yml) on events written to a
 * real .evtx file: services installed from staging folders or running encoded PowerShell,
 * accounts created and added to privileged groups; each with look-alikes that must not fire.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { loadBuiltinEventRules } from '../../rules/load.js';
import { huntEvents } from './hunt.js';
import { writeTestEvtx, type TestEvent } from './test-events.js';

const P = 'exhunt-evtx-persistence-';
const STAGING = `${P}service-staging-path`;
const ENCODED = `${P}service-encoded-powershell`;
const CREATED = `${P}account-created`;
const PRIV = `${P}privileged-group-add`;
const DOM = 'S-1-5-21-1111111111-2222222222-3333333333';

function svc7045(name: string, imagePath: string): TestEvent {
  return { eventId: 7045, channel: 'System', provider: 'Service Control Manager', named: { ServiceName: name, ImagePath: imagePath, ServiceType: 'user mode service', StartType: 'auto start', AccountName: 'LocalSystem' } };
}
function svc4697(name: string, file: string): TestEvent {
  return { eventId: 4697, channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', named: { SubjectUserName: 'admin', ServiceName: name, ServiceFileName: file, ServiceType: '0x10', ServiceStartType: '2', ServiceAccount: 'LocalSystem' } };
}
function groupAdd(eventId: number, group: string, sid: string): TestEvent {
  return { eventId, channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', named: { MemberName: 'CN=svc_backup,CN=Users,DC=corp,DC=example', MemberSid: `${DOM}-1337`, TargetUserName: group, TargetDomainName: 'CORP', TargetSid: sid, SubjectUserName: 'admin' } };
}
const ENC = 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA';

/** [why, event, rule ids of this file that must fire on it (exactly)]. */
const CASES: readonly (readonly [string, TestEvent, readonly string[]])[] = [
  ['7045 from ProgramData', svc7045('Updater', 'C:\\ProgramData\\upd\\svchost.exe'), [STAGING]],
  ['7045 from aspnet_client', svc7045('Helper', '"C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\h.exe" -k'), [STAGING]],
  ['7045 from %TEMP%', svc7045('Tmp', '%TEMP%\\a.exe'), [STAGING]],
  ['4697 from Users\\Public', svc4697('Pub', 'C:\\Users\\Public\\p.exe'), [STAGING]],
  ['7045 encoded PowerShell', svc7045('abcdef', `%COMSPEC% /b /c start /b /min powershell.exe -nop -w hidden -enc ${ENC}`), [ENCODED]],
  ['4697 -EncodedCommand', svc4697('x', `C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -EncodedCommand ${ENC}`), [ENCODED]],
  ['7045 FromBase64String', svc7045('y', 'powershell -c "IEX([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(\'aGk=\')))"'), [ENCODED]],
  ['7045 encoded PowerShell from ProgramData', svc7045('z', `C:\\ProgramData\\p.cmd powershell -e ${ENC}`), [STAGING, ENCODED]],
  ['7045 Exchange service (stock)', svc7045('MSExchangeHM', '"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\MSExchangeHMHost.exe"'), []],
  ['7045 driver in System32 (stock)', svc7045('WdNisDrv', 'system32\\drivers\\wd\\WdNisDrv.sys'), []],
  ['7045 Defender platform in ProgramData (stock)', svc7045('WdNisSvc', '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2102.4-0\\NisSrv.exe"'), []],
  ['4697 PowerShell with -Encoding (admin)', svc4697('Report', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -File D:\\Scripts\\r.ps1 -Encoding UTF8'), []],
  ['7040 start type changed', { eventId: 7040, channel: 'System', provider: 'Service Control Manager', named: { param1: 'Updater', param4: 'C:\\ProgramData\\upd\\svchost.exe' } }, []],
  ['4720 account created', { eventId: 4720, channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', named: { TargetUserName: 'DefaultAcc0unt', TargetSid: 'S-1-5-21-1-2-3-1009', SubjectUserName: 'EX01$' } }, [CREATED]],
  ['4722 account enabled', { eventId: 4722, channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', named: { TargetUserName: 'Guest' } }, []],
  ['4720 in another channel', { eventId: 4720, channel: 'Application', provider: 'SomeApp', named: { TargetUserName: 'x' } }, []],
  ['4732 Administrators', groupAdd(4732, 'Administrators', 'S-1-5-32-544'), [PRIV]],
  ['4732 Remote Desktop Users', groupAdd(4732, 'Remote Desktop Users', 'S-1-5-32-555'), [PRIV]],
  ['4728 Domain Admins', groupAdd(4728, 'Domain Admins', `${DOM}-512`), [PRIV]],
  ['4756 Enterprise Admins', groupAdd(4756, 'Enterprise Admins', `${DOM}-519`), [PRIV]],
  ['4756 Organization Management', groupAdd(4756, 'Organization Management', `${DOM}-1120`), [PRIV]],
  ['4732 Users (ordinary)', groupAdd(4732, 'Users', 'S-1-5-32-545'), []],
  ['4728 project group (ordinary)', groupAdd(4728, 'Sales', `${DOM}-1512`), []],
  ['4756 group ending in 512 but not a domain SID', groupAdd(4756, 'Odd', 'S-1-5-32-512'), []],
  ['4733 removed from Administrators', groupAdd(4733, 'Administrators', 'S-1-5-32-544'), []],
];

const OURS = new Set([STAGING, ENCODED, CREATED, PRIV]);

void test('persistence event rules load, each with a positive case here', async () => {
  const { rules, diagnostics } = await loadBuiltinEventRules();
  assert.deepEqual(diagnostics, []);
  const ids = new Set(rules.map((r) => r.meta.id));
  for (const id of OURS) assert.ok(ids.has(id), `${id} loaded`);
  const covered = new Set(CASES.flatMap(([, , want]) => want));
  for (const id of OURS) assert.ok(covered.has(id), `no positive case for ${id}`);
});

void test('persistence event rules: positives fire, look-alikes do not (real .evtx via the writer)', async () => {
  const { rules } = await loadBuiltinEventRules();
  const file = await writeTestEvtx(CASES.map(([, e]) => e));
  try {
    const findings = await huntEvents([{ abs: file, evidencePath: 'C/Windows/System32/winevt/Logs/test.evtx' }], rules, { raw: true });
    CASES.forEach(([why, , want], i) => {
      const got = findings.filter((f) => f.evidence.recordId === i + 1 && OURS.has(f.ruleId)).map((f) => f.ruleId).sort();
      assert.deepEqual(got, [...want].sort(), why);
    });
    const priv = findings.find((f) => f.ruleId === PRIV);
    assert.equal(priv?.severity, 'high');
    assert.equal(priv?.category, 'persistence');
    assert.equal(findings.find((f) => f.ruleId === CREATED)?.severity, 'medium');
    assert.equal(findings.find((f) => f.ruleId === STAGING)?.severity, 'high');
  } finally {
    await rm(dirname(file), { recursive: true, force: true });
  }
});
