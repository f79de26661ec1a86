/** Windows event log source mappings (content/mappings/windows.yaml) and own `logsource: evtx` rules. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventTargetFor, loadEventMappings, parseEventMapping } from './event-mappings.js';
import { contentDir, defaultLoadOptions, loadRuleText } from './load.js';
import { loadMappings } from './mappings.js';

const DIR = join(contentDir(), 'mappings');

void test('the shipped windows mapping covers the services and categories public rules use', () => {
  const maps = loadEventMappings(DIR);
  const t = (ls: Record<string, string>): string | undefined => eventTargetFor({ product: 'windows', ...ls }, maps)?.name;
  for (const s of ['security', 'system', 'application', 'sysmon', 'powershell', 'powershell-classic', 'msexchange-management', 'taskscheduler', 'windefend']) {
    assert.equal(t({ service: s }), s);
  }
  for (const c of ['process_creation', 'file_event', 'registry_set', 'registry_add', 'registry_delete', 'registry_event', 'network_connection', 'image_load', 'process_access', 'dns_query', 'pipe_created', 'driver_load', 'create_remote_thread', 'ps_script', 'ps_module', 'ps_classic_start']) {
    assert.equal(t({ category: c }), c);
  }
  assert.equal(t({ service: 'SECURITY' }), 'security', 'case-insensitive');
  assert.equal(eventTargetFor({ product: 'linux', category: 'process_creation' }, maps), null);
  assert.equal(t({ service: 'no-such' }), undefined);
  const pc = eventTargetFor({ product: 'windows', category: 'process_creation' }, maps);
  const sec = pc?.selectors.find((s) => s.channels?.includes('security'));
  assert.deepEqual(sec?.eventIds, [4688]);
  assert.equal(sec?.fields?.get('image'), 'NewProcessName');
  assert.equal(sec?.fields?.get('parentimage'), 'ParentProcessName');
  assert.equal(sec?.fields?.get('provider'), 'Provider_Name', 'common aliases apply to every selector');
});

void test('log mappings ignore the event mapping file, and event mappings the log ones', () => {
  const logs = loadMappings(DIR);
  assert.ok(!logs.some((m) => m.name === 'windows.yaml'));
  assert.ok(logs.some((m) => m.name === 'windows-iis.yaml'));
});

void test('bad event mapping data is an error naming the file', () => {
  assert.throws(() => parseEventMapping('x.yaml', 'kind: windows-events\nsources:\n  - name: a\n    logsource: {product: windows}\n    select:\n      - eventIds: [one]\n'), /x\.yaml: sources\[0\]\.select\[0\]\.eventIds/);
  assert.throws(() => parseEventMapping('y.yaml', 'sources: []\n'), /y\.yaml: needs kind/);
});

void test('own rules: `logsource: evtx` makes an event rule; mixing it with log families is an error', async () => {
  const opts = await defaultLoadOptions();
  const head = 'id: t-evtx\ntitle: t\nauthor: me\nreferences: [https://example.org]\nseverity: low\n';
  const ok = loadRuleText('a.yml', `${head}logsource: evtx\ndetection:\n  s:\n    EventID: 1\n  condition: s\n`, opts);
  assert.deepEqual(ok.diagnostics, []);
  const r = ok.rules[0];
  assert.equal(r?.kind, 'builtin');
  if (r?.kind !== 'builtin') return;
  assert.deepEqual(r.families, []);
  assert.equal(r.events?.name, 'evtx');
  const bad = loadRuleText('b.yml', `${head}logsource: [evtx, iis]\ndetection:\n  s:\n    EventID: 1\n  condition: s\n`, opts);
  assert.deepEqual(bad.diagnostics.map((d) => d.code), ['E102']);
});
