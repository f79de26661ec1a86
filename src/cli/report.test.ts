import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../findings/types.js';
import { iocFinding } from '../iocs/finding.js';
import { UsageError } from './errors.js';
import { runReportExport, runReportUpload, type UploadIo } from './report.js';
import { Readable } from 'node:stream';
import { sampleReport } from '../../test/fixtures/agent/reports.js';
import { startFakeFleet, type FakeFleet } from '../agent/testing/fake-fleet.js';

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

async function uploadRig(): Promise<{ fleet: FakeFleet; dir: string; good: string; bad: string; bare: string }> {
  const fleet = await startFakeFleet({ users: { alice: 's3cret' } });
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-upload-'));
  const good = join(dir, 'ex01.json');
  writeFileSync(good, JSON.stringify(sampleReport(1, { findings: 2 })));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...sampleReport(2), findings: [{ id: 'x' }] }));
  const bare = join(dir, 'bare.json');
  writeFileSync(bare, JSON.stringify(sampleReport(3, { hostname: null })));
  return { fleet, dir, good, bad, bare };
}

function uploadIo(stdin: string): { io: UploadIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (s) => { out += s; }, err: (s) => { err += s; }, stdin: Readable.from([stdin]), env: {} }, out: () => out, err: () => err };
}

test('report upload with a token: stored, duplicate, refused locally (not sent); exit 2 when any is not stored', async () => {
  const r = await uploadRig();
  r.fleet.tokens.add('exu_t');
  const a = uploadIo('');
  const code = await runReportUpload([r.good, r.good, r.bad, r.bare], { server: r.fleet.url, token: 'exu_t' }, a.io);
  assert.equal(code, 2);
  const lines = a.out().trim().split('\n');
  assert.match(lines[0] ?? '', /ex01\.json: stored as report r1 \(2 finding\(s\)\)$/);
  assert.match(lines[1] ?? '', /ex01\.json: duplicate, already stored as report r1$/);
  assert.match(lines[2] ?? '', /bad\.json: refused: not a valid exhunt report: \/findings\/0.*\(checked locally, not sent\)$/);
  assert.match(lines[3] ?? '', /bare\.json: refused: the report names no host \(target\.hostname\); pass --host NAME/);
  assert.match(a.err(), /2 of 4 report\(s\) not stored/);
  assert.equal(r.fleet.requests.length, 2);
  assert.equal(r.fleet.requests[0]?.authorization, 'Bearer exu_t');
  assert.equal(r.fleet.requests[0]?.query.source, 'upload');
  assert.equal(r.fleet.requests[0]?.idempotencyKey, r.fleet.requests[1]?.idempotencyKey);
  const b = uploadIo('');
  assert.equal(await runReportUpload([r.bare], { server: r.fleet.url, token: 'exu_t', host: 'EX03' }, b.io), 0);
  assert.equal(r.fleet.stored[1]?.server, 'EX03');
  await assert.rejects(runReportUpload([r.good], { server: r.fleet.url }, uploadIo('').io), /give --token TOKEN \(or EXHUNT_TOKEN\) or --user NAME/);
  await r.fleet.close();
  rmSync(r.dir, { recursive: true, force: true });
});

test('report upload --user: the password from stdin is exchanged for a token; a wrong one is refused', async () => {
  const r = await uploadRig();
  const a = uploadIo('s3cret\nignored\n');
  assert.equal(await runReportUpload([r.good], { server: r.fleet.url, user: 'alice' }, a.io), 0);
  const [tok, rep] = r.fleet.requests;
  assert.equal(tok?.path, '/api/v1/tokens');
  assert.equal(rep?.path, '/api/v1/reports');
  assert.match(rep?.authorization ?? '', /^Bearer exu_/);
  assert.ok(r.fleet.tokens.has((rep?.authorization ?? '').slice(7)));
  assert.match(a.out(), /ex01\.json: stored as report r1/);
  await assert.rejects(runReportUpload([r.good], { server: r.fleet.url, user: 'alice' }, uploadIo('wrong\n').io), /refused the name or password for alice/);
  await assert.rejects(runReportUpload([r.good], { server: r.fleet.url, user: 'alice' }, uploadIo('').io), /no password given/);
  await r.fleet.close();
  rmSync(r.dir, { recursive: true, force: true });
});
