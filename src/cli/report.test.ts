import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../findings/types.js';
import { iocFinding } from '../iocs/finding.js';
import { UsageError } from './errors.js';
import { runReportExport } from './report.js';

function reportFile(dir: string): string {
  const r: Report = {
    schemaVersion: 1, tool: { name: 'exhunt', version: '0.1.0' }, asOf: '2026-11-27',
    target: { kind: 'tree', root: '/cases/1', hostname: 'EX01' }, posture: null, coverage: [], errors: [],
    stats: { files: 1, bytes: 1, records: 1, skippedRecords: 0, seconds: 0 },
    findings: [
      iocFinding({ type: 'ip', value: '203.0.113.7', feed: 'cert', tlp: 'clear' }, { kind: 'log', path: 'C/inetpub/logs/u_ex1.log', line: 3 }, { time: '2021-03-03T01:02:03Z' }),
      iocFinding({ type: 'domain', value: 'red.exhunt-test.example', feed: 'cert', tlp: 'red' }, { kind: 'log', path: 'C/inetpub/logs/u_ex1.log', line: 4 }),
    ],
  };
  const p = join(dir, 'report.json');
  writeFileSync(p, JSON.stringify(r));
  return p;
}

test('report export writes STIX or MISP, withholding what is above the TLP', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-export-'));
  const file = reportFile(dir);
  let out = '';
  let note = '';
  await runReportExport(file, { format: 'stix', tlp: 'green' }, (s) => { out += s; }, (s) => { note += s; }, new Date('2026-11-27T00:00:00Z'));
  const bundle = JSON.parse(out) as { type: string; objects: { type: string }[] };
  assert.equal(bundle.type, 'bundle');
  assert.equal(bundle.objects.filter((o) => o.type === 'sighting').length, 1);
  assert.ok(!out.includes('red.exhunt-test.example'));
  assert.match(note, /exported 1 matched indicator\(s\) and 0 file\(s\) at TLP:GREEN; 1 finding\(s\) withheld/);
  const misp = join(dir, 'out.misp.json');
  await runReportExport(file, { format: 'misp', tlp: 'red', output: misp }, () => undefined, () => undefined);
  const ev = JSON.parse(readFileSync(misp, 'utf8')) as { Event: { Attribute: unknown[] } };
  assert.equal(ev.Event.Attribute.length, 2);
  await assert.rejects(runReportExport(file, { format: 'stix', tlp: 'pink' }, () => undefined, () => undefined), UsageError);
  writeFileSync(join(dir, 'bad.json'), '{"schemaVersion": 1}');
  await assert.rejects(runReportExport(join(dir, 'bad.json'), { format: 'stix', tlp: 'red' }, () => undefined, () => undefined), /not a valid exhunt report/);
  rmSync(dir, { recursive: true, force: true });
});
