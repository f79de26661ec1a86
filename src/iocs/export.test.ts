import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Report } from '../findings/types.js';
import { exportMisp, exportStix } from './export.js';
import { parseFeedText } from './feed.js';
import { iocFinding } from './finding.js';
import { evaluatePattern } from './stix-pattern.js';
import { patternOf } from './stix-write.js';
import type { Indicator } from './types.js';

const H1 = '5dc48a95943339c0edd82482e54f3d7d7898df6629803a1d50ed05c2b5b9ec33';
const H9 = 'c'.repeat(64);
const NOW = new Date('2026-11-27T12:00:00Z');
const ind = (type: Indicator['type'], value: string, tlp: Indicator['tlp'], extra: Partial<Indicator> = {}): Indicator => ({ type, value, feed: 'cert', tlp, ...extra });

function webshellFinding(): Finding {
  const base = iocFinding(ind('sha256', H9, 'clear'), { kind: 'file', path: 'C/inetpub/wwwroot/aspnet_client/x.aspx', sha256: H9 });
  return { ...base, ruleId: 'webshell-test', category: 'webshell', rule: { source: 'builtin', author: 'exhunt', license: 'Apache-2.0', refs: [] }, details: {} };
}

function report(): Report {
  const log = { kind: 'log' as const, path: 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', line: 7 };
  return {
    schemaVersion: 1, tool: { name: 'exhunt', version: '0.1.0' }, asOf: '2026-11-27',
    target: { kind: 'tree', root: '/cases/1', hostname: 'EX01' }, posture: null, coverage: [], errors: [],
    stats: { files: 0, bytes: 0, records: 0, skippedRecords: 0, seconds: 0 },
    findings: [
      iocFinding(ind('sha256', H1, 'green', { sourceId: 'indicator--00000000-0000-4000-8000-000000000001' }), { kind: 'file', path: 'C/inetpub/a.aspx', sha256: H1 }),
      iocFinding(ind('ip', '203.0.113.7', 'clear'), log, { time: '2021-03-03T01:02:03Z' }),
      iocFinding(ind('ip', '203.0.113.7', 'clear'), { ...log, line: 9 }, { time: '2021-03-03T05:00:00Z' }),
      iocFinding(ind('domain', 'secret.exhunt-test.example', 'red'), log),
      iocFinding(ind('path', 'inetpub/wwwroot/aspnet_client/*.aspx', 'amber'), { kind: 'file', path: 'C/inetpub/wwwroot/aspnet_client/x.aspx' }),
      webshellFinding(),
    ],
  };
}

test('STIX export: identity, TLP marking, sightings (original indicator id kept), observed-data for web shell hashes', () => {
  const r = exportStix(report(), { tlp: 'amber', now: NOW });
  assert.equal(r.sightings, 3);
  assert.equal(r.files, 1);
  assert.equal(r.withheld, 1);
  const objs = r.document.objects as Record<string, unknown>[];
  const text = JSON.stringify(r.document);
  assert.ok(!text.includes('secret.exhunt-test.example'), 'TLP:RED indicator not exported at AMBER');
  const sightings = objs.filter((o) => o.type === 'sighting');
  assert.ok(sightings.some((s) => s.sighting_of_ref === 'indicator--00000000-0000-4000-8000-000000000001'));
  const ipSighting = sightings.find((s) => objs.some((o) => o.id === s.sighting_of_ref && String(o.pattern).includes('203.0.113.7')));
  assert.equal(ipSighting?.count, 2);
  assert.equal(ipSighting?.first_seen, '2021-03-03T01:02:03Z');
  assert.equal(ipSighting?.last_seen, '2021-03-03T05:00:00Z');
  assert.deepEqual(ipSighting?.object_marking_refs, ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
  const file = objs.find((o) => o.type === 'file');
  assert.deepEqual(file?.hashes, { 'SHA-256': H9 });
  assert.ok(objs.some((o) => o.type === 'observed-data' && (o.object_refs as string[])[0] === file?.id));
  assert.deepEqual(exportStix(report(), { tlp: 'amber', now: NOW }).document, r.document, 'deterministic');
});

test('STIX export at CLEAR keeps only TLP:CLEAR indicators; the bundle re-imports', () => {
  const r = exportStix(report(), { tlp: 'clear', now: NOW });
  assert.equal(r.sightings, 1);
  assert.equal(r.withheld, 3);
  const back = parseFeedText(JSON.stringify(r.document), 'export.json', 'roundtrip');
  assert.deepEqual(back.indicators.map((i) => `${i.type} ${i.value} ${i.tlp}`), ['ip 203.0.113.7 clear']);
});

test('patterns written for every type parse back (supported ones evaluate)', () => {
  assert.deepEqual(evaluatePattern(patternOf('filename', "it's.aspx")), { ok: true, terms: [{ type: 'filename', value: "it's.aspx" }] });
  assert.deepEqual(evaluatePattern(patternOf('ip', '2001:db8::1')), { ok: true, terms: [{ type: 'ip', value: '2001:db8::1' }] });
  for (const t of ['path', 'user-agent'] as const) assert.equal(evaluatePattern(patternOf(t, 'a\\b/c*.aspx')).ok, false);
});

test('MISP export: attributes with TLP tags, file object for the web shell, nothing above the TLP', () => {
  const r = exportMisp(report(), { tlp: 'amber', now: NOW });
  const ev = r.document.Event as { Tag: { name: string }[]; Attribute: Record<string, unknown>[]; Object: { Attribute: Record<string, unknown>[] }[]; threat_level_id: string };
  assert.deepEqual(ev.Tag, [{ name: 'tlp:amber' }]);
  assert.deepEqual(ev.Attribute.map((a) => `${String(a.type)} ${String(a.value)}`).sort(),
    [`sha256 ${H1}`, 'ip-src 203.0.113.7', 'filename C:\\inetpub\\wwwroot\\aspnet_client\\*.aspx'].sort());
  assert.ok(!JSON.stringify(r.document).includes('secret.exhunt-test.example'));
  assert.equal(ev.Object[0]?.Attribute.find((a) => a.type === 'sha256')?.value, H9);
  assert.equal(ev.threat_level_id, '1');
  const back = parseFeedText(JSON.stringify(r.document), 'export.json', 'roundtrip');
  assert.ok(back.indicators.some((i) => i.type === 'ip' && i.value === '203.0.113.7' && i.tlp === 'clear'));
});
