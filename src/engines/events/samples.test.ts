/**
 * The event engine on real public .evtx samples, when `../shared/samples/evtx` (beside the
 * repository) exists; skipped with a message otherwise. The samples are never copied into
 * the repository (see that folder's README).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { contentDir, defaultLoadOptions, loadBuiltinEventRules, loadRuleText } from '../../rules/load.js';
import { huntEvents } from './hunt.js';

const SAMPLES = resolve(contentDir(), '..', '..', 'shared', 'samples', 'evtx');
const skip = existsSync(SAMPLES) ? false : `no samples at ${SAMPLES}`;
const file = (name: string): { abs: string; evidencePath: string } => ({ abs: join(SAMPLES, `${name}.evtx`), evidencePath: `samples/${name}.evtx` });

void test('MSExchange Management sample: Install-TransportAgent (built-in rule)', { skip }, async () => {
  const { rules } = await loadBuiltinEventRules();
  const issues: string[] = [];
  const f = await huntEvents([file('msexchange-management-transport-agent')], rules, { onIssue: (i) => issues.push(i.message) });
  assert.deepEqual(issues, []);
  const hit = f.find((x) => x.ruleId === 'exhunt-evtx-exchange-install-transport-agent');
  assert.ok(hit, 'Install-TransportAgent finding');
  assert.equal(hit.count, 2);
  assert.equal(hit.evidence['computer'], 'exchange01.offsec.lan');
  assert.match(String(hit.evidence.excerpt), /NetshHelperBeacon\.dll/);
});

void test('log-cleared sample: Security 1102 and System 104 (built-in rule)', { skip }, async () => {
  const { rules } = await loadBuiltinEventRules();
  const f = await huntEvents([file('security-system-log-cleared')], rules, { raw: true });
  const ids = new Set(f.filter((x) => x.ruleId === 'exhunt-evtx-event-log-cleared').map((x) => x.evidence['eventId']));
  assert.deepEqual([...ids].sort(), [104, 1102]);
});

void test('PowerShell classic sample: comsvcs MiniDump run from PowerShell (built-in rule)', { skip }, async () => {
  const { rules } = await loadBuiltinEventRules();
  const f = await huntEvents([file('powershell-lsassy-800-4103-4104')], rules, { raw: true });
  assert.ok(f.some((x) => x.ruleId === 'exhunt-evtx-comsvcs-minidump' && x.evidence['eventId'] === 800));
});

void test('Sysmon sample: Sigma pipe_created and process_creation rules', { skip }, async () => {
  const text = [
    "title: PsExec pipe\nid: 44444444-0000-0000-0000-000000000001\nlevel: medium\nlogsource:\n  product: windows\n  category: pipe_created\ndetection:\n  sel:\n    PipeName|startswith: '\\PSEXESVC'\n  condition: sel\n",
    "title: PsExec run\nid: 44444444-0000-0000-0000-000000000002\nlevel: medium\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    Image|endswith: '\\PsExec64.exe'\n  condition: sel\n",
  ].join('---\n');
  const { rules } = loadRuleText('psexec.yml', text, await defaultLoadOptions());
  const f = await huntEvents([file('sysmon-psexec-11-13-17-18')], rules, { raw: true });
  assert.equal(f.filter((x) => x.ruleId === '44444444-0000-0000-0000-000000000001').length, 8);
  assert.ok(f.some((x) => x.ruleId === '44444444-0000-0000-0000-000000000002' && x.evidence['eventId'] === 1));
});

void test('Sigma keyword rule on the MSExchange Management sample (service: msexchange-management)', { skip }, async () => {
  const text = "title: Transport agent\nid: 44444444-0000-0000-0000-000000000003\nlevel: critical\nlogsource:\n  product: windows\n  service: msexchange-management\ndetection:\n  keywords:\n    - 'Install-TransportAgent'\n  condition: keywords\n";
  const { rules } = loadRuleText('ta.yml', text, await defaultLoadOptions());
  const f = await huntEvents([file('msexchange-management-transport-agent')], rules, {});
  assert.equal(f[0]?.ruleId, '44444444-0000-0000-0000-000000000003');
  assert.equal(f[0]?.severity, 'critical');
});
