/**
 * Sigma `product: windows` rules on event records (content/mappings/windows.yaml): services
 * select channels, categories select channel + event ids, Security 4688 reads Sysmon field
 * names through the mapping; unknown log sources are skipped with W401. Also aggregation.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import type { Finding } from '../../findings/types.js';
import { defaultLoadOptions, loadRuleText, type LoadOptions } from '../../rules/load.js';
import type { Rule } from '../../rules/types.js';
import { huntEvents } from './hunt.js';
import { cmdlet, processCreation, SYSMON, writeTestEvtx, type TestEvent } from './test-events.js';

function sigma(id: string, logsource: string, detection: string, extra = ''): string {
  return `title: Test ${id}\nid: ${id}\nstatus: stable\nlevel: high\n${extra}logsource:\n${logsource}\ndetection:\n${detection}\n`;
}

const RULES = [
  sigma('11111111-0000-0000-0000-000000000001', '  product: windows\n  category: process_creation', "  sel:\n    ParentImage|endswith: '\\w3wp.exe'\n    Image|endswith: '\\whoami.exe'\n  condition: sel", 'tags:\n  - attack.persistence\n  - attack.t1505.003\n'),
  sigma('11111111-0000-0000-0000-000000000002', '  product: windows\n  service: msexchange-management', "  keywords:\n    - 'Install-TransportAgent'\n  condition: keywords"),
  sigma('11111111-0000-0000-0000-000000000003', '  product: windows\n  service: security', '  sel:\n    EventID: 1102\n  condition: sel'),
  sigma('11111111-0000-0000-0000-000000000004', '  product: windows\n  category: ps_script', "  sel:\n    ScriptBlockText|contains: 'Invoke-Mimikatz'\n  condition: sel"),
  sigma('11111111-0000-0000-0000-000000000005', '  product: windows\n  category: registry_set', "  sel:\n    TargetObject|contains: '\\CurrentVersion\\Run\\'\n  condition: sel"),
  sigma('11111111-0000-0000-0000-000000000006', '  product: windows\n  category: pipe_created', "  sel:\n    PipeName|startswith: '\\PSEXESVC'\n  condition: sel"),
  sigma('11111111-0000-0000-0000-000000000007', '  product: windows\n  category: process_creation', "  sel:\n    CommandLine|windash|contains: ' -enc '\n    User|contains: 'EX01'\n  condition: sel"),
  sigma('11111111-0000-0000-0000-000000000008', '  product: windows\n  service: system', "  sel:\n    Provider: 'Service Control Manager'\n    EventID: 7045\n    ImagePath|contains: 'cmd.exe'\n  condition: sel"),
].join('---\n');

const ID = (n: number): string => `11111111-0000-0000-0000-00000000000${n}`;

/** [event, Sigma rules (by number) that must fire on it, exactly]. */
const CASES: readonly (readonly [string, TestEvent, readonly number[]])[] = [
  ['Sysmon 1 w3wp → whoami', processCreation('sysmon', 'C:\\w\\w3wp.exe', 'C:\\s\\whoami.exe', 'whoami'), [1]],
  ['4688 w3wp → whoami (mapped fields)', processCreation('security', 'C:\\w\\w3wp.exe', 'C:\\s\\whoami.exe', 'whoami'), [1]],
  ['Sysmon 3 with the same names (not process creation)', { eventId: 3, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon', named: { Image: 'C:\\s\\whoami.exe', ParentImage: 'C:\\w\\w3wp.exe' } }, []],
  ['cmdlet event', cmdlet('Install-TransportAgent', '-Name x'), [2]],
  ['same text in Application', { eventId: 1, channel: 'Application', provider: 'x', unnamed: ['Install-TransportAgent'] }, []],
  ['Security 1102', { eventId: 1102, channel: 'Security', provider: 'Microsoft-Windows-Eventlog' }, [3]],
  ['1102 in another channel', { eventId: 1102, channel: 'System', provider: 'Microsoft-Windows-Eventlog' }, []],
  ['4104 script block', { eventId: 4104, channel: 'Microsoft-Windows-PowerShell/Operational', provider: 'Microsoft-Windows-PowerShell', named: { ScriptBlockText: 'Invoke-Mimikatz -DumpCreds' } }, [4]],
  ['4103 with the same text', { eventId: 4103, channel: 'Microsoft-Windows-PowerShell/Operational', provider: 'Microsoft-Windows-PowerShell', named: { ScriptBlockText: 'Invoke-Mimikatz' } }, []],
  ['Sysmon 13 Run key', { eventId: 13, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon', named: { EventType: 'SetValue', TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\x' } }, [5]],
  ['Sysmon 12 Run key (registry_set is 13)', { eventId: 12, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon', named: { EventType: 'CreateKey', TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\x' } }, []],
  ['Sysmon 18 PsExec pipe', { eventId: 18, channel: SYSMON, provider: 'Microsoft-Windows-Sysmon', named: { PipeName: '\\PSEXESVC-X-1-stdin' } }, [6]],
  ['4688 windash /enc, User read as SubjectUserName', processCreation('security', 'C:\\a\\b.exe', 'C:\\p\\powershell.exe', 'powershell /enc AAAA'), [7]],
  ['Sysmon -enc by another user', processCreation('sysmon', 'C:\\a\\b.exe', 'C:\\p\\powershell.exe', 'powershell -enc AAAA'), []],
  ['7045 cmd service', { eventId: 7045, channel: 'System', provider: 'Service Control Manager', named: { ServiceName: 'x', ImagePath: 'cmd.exe /c echo' } }, [8]],
];

let rules: Rule[] = [];
let findings: Finding[] = [];
let file = '';
let opts: LoadOptions;

before(async () => {
  opts = await defaultLoadOptions();
  const r = loadRuleText('test-sigma.yml', RULES, opts);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  rules = [...r.rules];
  file = await writeTestEvtx(CASES.map(([, e]) => e));
  findings = await huntEvents([{ abs: file, evidencePath: 'Logs/test.evtx' }], rules, { raw: true });
});

after(async () => {
  if (file) await rm(dirname(file), { recursive: true, force: true });
});

void test('Sigma windows rules compile to event rules', () => {
  assert.equal(rules.length, 8);
  for (const r of rules) {
    assert.equal(r.kind, 'sigma');
    if (r.kind !== 'sigma') continue;
    assert.deepEqual(r.families, []);
    assert.ok(r.events && r.events.selectors.length > 0);
  }
});

void test('Sigma windows rules fire only on the records of their log source', () => {
  CASES.forEach(([why, , want], i) => {
    const got = findings.filter((f) => f.evidence.recordId === i + 1).map((f) => f.ruleId).sort();
    assert.deepEqual(got, want.map(ID).sort(), why);
  });
});

void test('a Sigma finding carries the rule id, title, level and tags', () => {
  const f = findings.find((x) => x.ruleId === ID(1));
  assert.equal(f?.title, `Test ${ID(1)}`);
  assert.equal(f?.severity, 'high');
  assert.equal(f?.confidence, 'high');
  assert.equal(f?.category, 'webshell');
  assert.deepEqual(f?.attack, ['T1505.003']);
  assert.equal(f?.rule.source, 'sigma');
});

void test('unknown Windows services and other products are skipped with W401', () => {
  const text = [
    sigma('22222222-0000-0000-0000-000000000001', '  product: windows\n  service: no-such-service', '  sel:\n    EventID: 1\n  condition: sel'),
    sigma('22222222-0000-0000-0000-000000000002', '  product: linux\n  category: process_creation', '  sel:\n    Image: /bin/sh\n  condition: sel'),
  ].join('---\n');
  const r = loadRuleText('skip.yml', text, opts);
  assert.equal(r.rules.length, 0);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['W401', 'W401']);
});

void test('product windows, service iis still goes to the IIS log mapping', () => {
  const r = loadRuleText('iis.yml', sigma('33333333-0000-0000-0000-000000000001', '  product: windows\n  service: iis', "  sel:\n    cs-uri-stem|contains: '/ecp/'\n  condition: sel"), opts);
  const rule = r.rules[0];
  assert.equal(rule?.kind, 'sigma');
  if (rule?.kind !== 'sigma') return;
  assert.deepEqual(rule.families, ['iis']);
  assert.equal(rule.events, undefined);
});

void test('aggregation: one finding per rule, computer and day, with counts and first/last', async () => {
  const ev = (time: string, computer: string): TestEvent => ({ ...cmdlet('Install-TransportAgent', '-Name x'), time, computer });
  const f2 = await writeTestEvtx([
    ev('2021-03-03T01:00:00.0000000Z', 'EX01'),
    ev('2021-03-03T05:00:00.0000000Z', 'ex01'),
    ev('2021-03-03T03:00:00.0000000Z', 'EX01'),
    ev('2021-03-03T02:00:00.0000000Z', 'EX02'),
    ev('2021-03-04T02:00:00.0000000Z', 'EX01'),
  ]);
  try {
    const agg = await huntEvents([{ abs: f2, evidencePath: 'C/Windows/System32/winevt/Logs/MSExchange Management.evtx' }], rules, {});
    const mine = agg.filter((f) => f.ruleId === ID(2));
    assert.deepEqual(mine.map((f) => [f.count, f.firstSeen?.slice(0, 19), f.lastSeen?.slice(0, 19)]), [
      [3, '2021-03-03T01:00:00', '2021-03-03T05:00:00'],
      [1, '2021-03-03T02:00:00', '2021-03-03T02:00:00'],
      [1, '2021-03-04T02:00:00', '2021-03-04T02:00:00'],
    ]);
    assert.equal(new Set(mine.map((f) => f.id)).size, 3);
    assert.equal(mine[0]?.evidence.recordId, 1);
    const again = await huntEvents([{ abs: f2, evidencePath: 'D/other/MSExchange Management.evtx' }], rules, {});
    assert.deepEqual(again.filter((f) => f.ruleId === ID(2)).map((f) => f.id), mine.map((f) => f.id), 'aggregated ids do not depend on the path');
  } finally {
    await rm(dirname(f2), { recursive: true, force: true });
  }
});

void test('an unreadable file is an issue, not a failure', async () => {
  const issues: string[] = [];
  const got = await huntEvents([{ abs: '/nonexistent/x.evtx', evidencePath: 'x.evtx' }], rules, { onIssue: (i) => issues.push(i.path) });
  assert.deepEqual(got, []);
  assert.deepEqual(issues, ['x.evtx']);
});
