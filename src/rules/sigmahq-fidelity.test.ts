/**
 * Log source fidelity: exhunt's mappings (content/mappings) against SigmaHQ's own mapping
 * facts, written down here as data with their sources (looked up, not copied):
 * - SigmaHQ/sigma `tests/thor.yml` (the test configuration of the rule repository): generic
 *   Windows categories → Sysmon event ids, process_creation → Security 4688 with
 *   Image → NewProcessName, ParentImage → ParentProcessName; services → channels.
 * - SigmaHQ/pySigma-pipeline-sysmon README: registry_add → 12 with `EventType: CreateKey`,
 *   registry_delete → 12 with `EventType: DeleteKey, DeleteValue`, file_delete → 23 and the
 *   Sysmon 14+ categories 26..29.
 * - SigmaHQ/sigma `tests/logsource.json`: the field names of `category: webserver` and
 *   `category: proxy` rules.
 * - Microsoft, event 4688 (learn.microsoft.com/windows/security/threat-protection/auditing/event-4688):
 *   the new process's account is the "Target Subject" (TargetUserName, TargetLogonId).
 * A test fails when a mapping disagrees with these facts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventTargetFor, loadEventMappings } from './event-mappings.js';
import { contentDir } from './load.js';
import { loadMappings, mappingFor } from './mappings.js';

const DIR = join(contentDir(), 'mappings');
const SYSMON = 'microsoft-windows-sysmon/operational';

/** Category → Sysmon event ids, and the EventType values the pipeline requires (if any). */
const SIGMAHQ_SYSMON: Readonly<Record<string, { ids: number[]; eventType?: string[] }>> = {
  process_creation: { ids: [1] },
  file_change: { ids: [2] },
  network_connection: { ids: [3] },
  sysmon_status: { ids: [4, 16] },
  process_termination: { ids: [5] },
  driver_load: { ids: [6] },
  image_load: { ids: [7] },
  create_remote_thread: { ids: [8] },
  raw_access_thread: { ids: [9] },
  process_access: { ids: [10] },
  file_event: { ids: [11] },
  registry_add: { ids: [12], eventType: ['createkey'] },
  registry_delete: { ids: [12], eventType: ['deletekey', 'deletevalue'] },
  registry_set: { ids: [13] },
  registry_rename: { ids: [14] },
  registry_event: { ids: [12, 13, 14] },
  create_stream_hash: { ids: [15] },
  pipe_created: { ids: [17, 18] },
  wmi_event: { ids: [19, 20, 21] },
  dns_query: { ids: [22] },
  file_delete: { ids: [23] },
  clipboard_capture: { ids: [24] },
  clipboard_change: { ids: [24] },
  process_tampering: { ids: [25] },
  file_delete_detected: { ids: [26] },
  file_block_executable: { ids: [27] },
  file_block_shredding: { ids: [28] },
  file_executable_detected: { ids: [29] },
  sysmon_error: { ids: [255] },
};

/** PowerShell categories (thor.yml): channel of the service and event id. */
const SIGMAHQ_POWERSHELL: Readonly<Record<string, { channel: string; id: number }>> = {
  ps_module: { channel: 'microsoft-windows-powershell/operational', id: 4103 },
  ps_script: { channel: 'microsoft-windows-powershell/operational', id: 4104 },
  ps_classic_start: { channel: 'windows powershell', id: 400 },
  ps_classic_provider_start: { channel: 'windows powershell', id: 600 },
  ps_classic_script: { channel: 'windows powershell', id: 800 },
};

/** Services → channels (thor.yml `sources`, `WinEventLog:` dropped). */
const SIGMAHQ_SERVICES: Readonly<Record<string, string[]>> = {
  application: ['application'],
  security: ['security'],
  system: ['system'],
  ntlm: ['microsoft-windows-ntlm/operational'],
  sysmon: [SYSMON],
  powershell: ['microsoft-windows-powershell/operational', 'powershellcore/operational'],
  'powershell-classic': ['windows powershell'],
  taskscheduler: ['microsoft-windows-taskscheduler/operational'],
  wmi: ['microsoft-windows-wmi-activity/operational'],
  dhcp: ['microsoft-windows-dhcp-server/operational'],
  'msexchange-management': ['msexchange management'],
  windefend: ['microsoft-windows-windows defender/operational'],
  'codeintegrity-operational': ['microsoft-windows-codeintegrity/operational'],
  'bits-client': ['microsoft-windows-bits-client/operational'],
  ldap: ['microsoft-windows-ldap-client/debug'],
  'lsa-server': ['microsoft-windows-lsa/operational'],
};

/** Field names of SigmaHQ's web rules (tests/logsource.json, `empty.category`). */
const SIGMAHQ_WEB_FIELDS: Readonly<Record<'webserver' | 'proxy', readonly string[]>> = {
  webserver: ['date', 'time', 'c-ip', 'cs-username', 's-sitename', 's-computername', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query',
    's-port', 'sc-status', 'sc-win32-status', 'sc-bytes', 'cs-bytes', 'time-taken', 'cs-version', 'cs-host', 'cs-user-agent', 'cs-referer', 'cs-cookie'],
  proxy: ['c-uri', 'c-uri-extension', 'c-uri-query', 'c-uri-stem', 'c-useragent', 'cs-bytes', 'cs-cookie', 'cs-host', 'cs-method', 'r-dns',
    'cs-referrer', 'cs-version', 'sc-bytes', 'sc-status', 'src_ip', 'dst_ip', 'cs-uri'],
};

const maps = loadEventMappings(DIR);

void test('SigmaHQ fidelity: every generic Sysmon category maps to SigmaHQ\'s event ids and EventType condition', () => {
  for (const [category, want] of Object.entries(SIGMAHQ_SYSMON)) {
    const t = eventTargetFor({ product: 'windows', category }, maps);
    assert.ok(t, `${category}: no mapping`);
    const sysmon = t.selectors.filter((s) => s.channels?.includes(SYSMON));
    assert.equal(sysmon.length, 1, `${category}: one Sysmon selector`);
    const sel = sysmon[0];
    assert.deepEqual([...(sel?.eventIds ?? [])].sort((a, b) => a - b), want.ids, `${category}: event ids`);
    const et = sel?.where?.get('EventType');
    assert.deepEqual(et ? [...et].sort() : undefined, want.eventType, `${category}: EventType condition`);
    // Nothing else narrows or widens it.
    assert.equal(sel?.providers, null, `${category}: provider`);
    assert.deepEqual([...(sel?.where?.keys() ?? [])].filter((k) => k !== 'EventType'), [], `${category}: other conditions`);
  }
});

void test('SigmaHQ fidelity: PowerShell categories and services map to SigmaHQ\'s channels', () => {
  for (const [category, want] of Object.entries(SIGMAHQ_POWERSHELL)) {
    const sel = eventTargetFor({ product: 'windows', category }, maps)?.selectors ?? [];
    assert.ok(sel.some((s) => s.channels?.includes(want.channel) && s.eventIds?.length === 1 && s.eventIds[0] === want.id), category);
  }
  for (const [service, channels] of Object.entries(SIGMAHQ_SERVICES)) {
    const sel = eventTargetFor({ product: 'windows', service }, maps)?.selectors ?? [];
    assert.equal(sel.length, 1, service);
    assert.deepEqual([...(sel[0]?.channels ?? [])].sort(), [...channels].sort(), service);
    assert.equal(sel[0]?.eventIds, null, `${service}: every event of the channel`);
  }
});

void test('SigmaHQ fidelity: process_creation on Security 4688 reads the new process, not the subject', () => {
  const sel = eventTargetFor({ product: 'windows', category: 'process_creation' }, maps)?.selectors.find((s) => s.channels?.includes('security'));
  assert.deepEqual(sel?.eventIds, [4688]);
  assert.equal(sel?.fields?.get('image'), 'NewProcessName');
  assert.equal(sel?.fields?.get('parentimage'), 'ParentProcessName');
  assert.match(sel?.fields?.get('user') ?? '', /^TargetUserName\b/);
  assert.match(sel?.fields?.get('logonid') ?? '', /^TargetLogonId\b/);
});

void test('SigmaHQ fidelity: every field of SigmaHQ\'s webserver and proxy rules is mapped or declared absent for each log family', () => {
  const logMaps = loadMappings(DIR);
  for (const category of ['webserver', 'proxy'] as const) {
    const m = mappingFor({ category }, logMaps);
    assert.ok(m, category);
    const fams = Object.entries(m.mapping);
    assert.ok(fams.length > 0, category);
    for (const [fam, fm] of fams) {
      for (const f of SIGMAHQ_WEB_FIELDS[category]) {
        const src = fm?.get(f);
        assert.ok(src, `${category}/${fam}: ${f} not mapped`);
        if (src.kind === 'absent') assert.ok(src.reason.length > 10, `${category}/${fam}: ${f} absent without a reason`);
      }
    }
  }
});

void test('a Sigma web rule that can fire on no log family is refused with E402 and the reason', async () => {
  const { defaultLoadOptions, loadRuleText } = await import('./load.js');
  const opts = await defaultLoadOptions();
  const head = (id: string, category: string): string => `title: t\nid: ${id}\nstatus: test\nlevel: high\nlogsource:\n  category: ${category}\n`;
  const never = loadRuleText('never.yml', `${head('55555555-0000-0000-0000-000000000001', 'proxy')}detection:\n  sel:\n    cs-cookie|contains: 'x'\n    c-useragent: 'y'\n  condition: sel\n`, opts);
  assert.deepEqual(never.rules, []);
  assert.deepEqual(never.diagnostics.map((d) => [d.code, d.severity]), [['E402', 'error']]);
  assert.match(never.diagnostics[0]?.message ?? '', /httpproxy \(cs-cookie: HttpProxy logs no Cookie header/);
  // A filter on an absent field never excludes: the rule can fire, and does.
  const filter = loadRuleText('filter.yml', `${head('55555555-0000-0000-0000-000000000002', 'proxy')}detection:\n  sel:\n    c-uri-extension: [exe, ps1]\n  filter:\n    cs-referrer: 'x'\n  condition: sel and not filter\n`, opts);
  assert.deepEqual(filter.diagnostics, []);
  // webserver: the cookie is logged by IIS, so the rule runs there only.
  const web = loadRuleText('web.yml', `${head('55555555-0000-0000-0000-000000000003', 'webserver')}detection:\n  sel:\n    cs-cookie|contains: 'SecurityToken='\n  condition: sel\n`, opts);
  const r = web.rules[0];
  assert.equal(r?.kind, 'sigma');
  if (r?.kind === 'sigma') assert.deepEqual(r.families, ['iis']);
  // `1 of` over absent and present fields can still fire.
  const oneOf = loadRuleText('oneof.yml', `${head('55555555-0000-0000-0000-000000000004', 'proxy')}detection:\n  a:\n    cs-cookie: 'x'\n  b:\n    c-uri: '*/x'\n  condition: 1 of them\n`, opts);
  assert.deepEqual(oneOf.diagnostics, []);
  const { createLogMatcher } = await import('../engines/logs/matcher.js');
  const m = createLogMatcher(filter.rules.filter((x) => x.kind === 'sigma'));
  const rec = (UrlStem: string) => ({ kind: 'log' as const, source: 'httpproxy' as const, time: null, fields: { UrlStem, UrlQuery: '' }, location: { path: 'x' } });
  assert.equal(m.match(rec('/owa/x.PS1')).length, 1, 'extension without the dot, any case');
  assert.equal(m.match(rec('/owa/x.ps1/')).length, 0, 'a folder named like a file has no extension');
  assert.equal(m.match(rec('/owa/ps1')).length, 0);
});
