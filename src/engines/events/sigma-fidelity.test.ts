/**
 * SigmaHQ's mapping facts on real event records (see src/rules/sigmahq-fidelity.test.ts for
 * the data): registry_add / registry_delete need Sysmon 12's EventType, and Security 4688's
 * User / LogonId are the new process's (Target*), not the creator's (Subject*).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import type { Finding } from '../../findings/types.js';
import { defaultLoadOptions, loadRuleText } from '../../rules/load.js';
import { huntEvents } from './hunt.js';
import { SYSMON, writeTestEvtx, type TestEvent } from './test-events.js';

const rule = (id: string, logsource: string, detection: string): string =>
  `title: T ${id}\nid: ${id}\nstatus: test\nlevel: high\nlogsource:\n  product: windows\n  ${logsource}\ndetection:\n${detection}\n`;

const ADD = '44444444-0000-0000-0000-000000000001';
const DEL = '44444444-0000-0000-0000-000000000002';
const USER = '44444444-0000-0000-0000-000000000003';
const LOGON = '44444444-0000-0000-0000-000000000004';

const RULES = [
  rule(ADD, 'category: registry_add', "  sel:\n    TargetObject|contains: '\\RunMRU'\n  condition: sel"),
  rule(DEL, 'category: registry_delete', "  sel:\n    TargetObject|contains: '\\RunMRU'\n  condition: sel"),
  rule(USER, 'category: process_creation', "  sel:\n    Image|endswith: '\\cmd.exe'\n    User|contains: 'AUTHORI'\n  condition: sel"),
  rule(LOGON, 'category: process_creation', "  sel:\n    Image|endswith: '\\cmd.exe'\n    LogonId: '0x3e7'\n  condition: sel"),
].join('---\n');

const key = 'HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RunMRU';
const reg = (eventType: string): TestEvent => ({ eventId: 12, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon', named: { EventType: eventType, TargetObject: key } });
const p4688 = (named: Record<string, string>): TestEvent => ({ eventId: 4688, channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', named: { NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ...named } });

/** [why, event, rules that must fire on it, exactly]. */
const CASES: readonly (readonly [string, TestEvent, readonly string[]])[] = [
  ['Sysmon 12 CreateKey is registry_add only', reg('CreateKey'), [ADD]],
  ['Sysmon 12 DeleteKey is registry_delete only', reg('DeleteKey'), [DEL]],
  ['Sysmon 12 DeleteValue is registry_delete', reg('DeleteValue'), [DEL]],
  ['Sysmon 12 without EventType is neither', { ...reg('x'), named: { TargetObject: key } }, []],
  ['4688: a user starts cmd as SYSTEM (Target is the new process)', p4688({ SubjectUserName: 'alice', SubjectDomainName: 'CORP', SubjectLogonId: '0x1a2b', TargetUserName: 'NT AUTHORITY\\SYSTEM', TargetLogonId: '0x3e7' }), [USER, LOGON]],
  ['4688: SYSTEM starts cmd for a user (the subject is not the new process)', p4688({ SubjectUserName: 'NT AUTHORITY\\SYSTEM', SubjectLogonId: '0x3e7', TargetUserName: 'alice', TargetLogonId: '0x1a2b' }), []],
  ['4688 of Server 2012 R2 (no Target fields): the creator is all there is', p4688({ SubjectUserName: 'NT AUTHORITY\\SYSTEM', SubjectLogonId: '0x3e7' }), [USER, LOGON]],
  ['4688 with Target fields "-": the creator', p4688({ SubjectUserName: 'NT AUTHORITY\\SYSTEM', SubjectLogonId: '0x3e7', TargetUserName: '-' }), [USER, LOGON]],
];

let findings: Finding[] = [];
let file = '';

before(async () => {
  const r = loadRuleText('fidelity.yml', RULES, await defaultLoadOptions());
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  file = await writeTestEvtx(CASES.map(([, e]) => e));
  findings = await huntEvents([{ abs: file, evidencePath: 'Logs/t.evtx' }], r.rules, { raw: true });
});

after(async () => {
  if (file) await rm(dirname(file), { recursive: true, force: true });
});

void test('SigmaHQ mapping facts hold on event records', () => {
  CASES.forEach(([why, , want], i) => {
    const got = findings.filter((f) => f.evidence.recordId === i + 1).map((f) => f.ruleId).sort();
    assert.deepEqual(got, [...want].sort(), why);
  });
});
