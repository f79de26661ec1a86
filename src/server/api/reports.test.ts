/**
 * Report upload: valid → 201, the same bytes again → 200 duplicate, invalid → 400 with one
 * detail per problem, too big → 413; agents always file under their own host name; each
 * ingest is audited. Plus the compliance view and its CSV export on the uploaded reports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PG_SKIP_MESSAGE } from '../store/test-db.js';
import { syntheticReport } from '../store/seed.js';
import { createHarness } from '../http/testing/harness.js';
import { complianceCsv, CSV_COLUMNS } from './compliance.js';
import { daysBetween } from './compliance-eval.js';
import { parseReport } from './reports.js';

const JSON_CT = { 'content-type': 'application/json' };

test('parseReport: not JSON and schema problems become details with JSON pointers', () => {
  const bad = parseReport(Buffer.from('{"schemaVersion":'));
  assert.equal(bad.ok, false);
  const wrong = parseReport(Buffer.from(JSON.stringify({ ...syntheticReport(1, { findings: 1 }), schemaVersion: 2 })));
  assert.ok(!wrong.ok && wrong.details.some((d) => d.path === '/schemaVersion'));
  assert.equal(parseReport(Buffer.from(JSON.stringify(syntheticReport(1, { findings: 1 })))).ok, true);
});

test('daysBetween counts whole UTC days', () => {
  assert.equal(daysBetween('2026-11-20T23:59:00Z', '2026-11-27'), 7);
  assert.equal(daysBetween('2026-11-27', '2021-04-16') < 0, true);
});

test('compliance CSV neutralises formula cells', () => {
  const csv = complianceCsv({
    directive: { id: 'HUNT-7D', name: 'x', kind: 'hunt-reported', deadline: null, maxAgeDays: 7, summary: null, source: 's' },
    asOf: '2026-11-27', deadline: null, daysLeft: null, counts: { compliant: 0, notCompliant: 1, unknown: 0 },
    servers: [{ server: '=cmd|calc', serverId: 'i', status: 'not_compliant', reason: '@SUM(1)\u001b[31m', daysLeft: -3, build: null, lastReportAt: null }],
  });
  const [head, row] = csv.trim().split('\n');
  assert.equal(head, CSV_COLUMNS.map((c) => `"${c}"`).join(','));
  assert.match(row ?? '', /"'=cmd\|calc"/);
  assert.match(row ?? '', /"'@SUM\(1\)"/);
  assert.match(row ?? '', /,"-3",/);
  assert.doesNotMatch(row ?? '', /\u001b/);
});

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`report upload and compliance (${backend})`, async (t) => {
    const h = await createHarness(backend, { maxUploadBytes: 64 * 1024 });
    if (h === null) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    try {
      const body = JSON.stringify(syntheticReport(7, { findings: 3 }));
      const upload = (who: 'analyst-token' | 'agent', payload: string, url = '/api/v1/reports') => h.as(who, { method: 'POST', url, headers: JSON_CT, payload });

      await t.test('valid → 201, same bytes → 200 duplicate, audited once', async () => {
        const before = (await h.store.listAudit({ limit: 1, offset: 0 })).total;
        const first = await upload('analyst-token', body);
        assert.equal(first.statusCode, 201, first.body);
        const a = JSON.parse(first.body) as { reportId: string; duplicate: boolean; findings: number };
        assert.equal(a.duplicate, false);
        assert.equal(a.findings, 3);
        const again = await upload('analyst-token', body);
        assert.equal(again.statusCode, 200);
        const b = JSON.parse(again.body) as { reportId: string; duplicate: boolean };
        assert.equal(b.duplicate, true);
        assert.equal(b.reportId, a.reportId);
        const after = await h.store.listAudit({ limit: 10, offset: 0 });
        assert.equal(after.total, before + 1);
        assert.equal(after.items[0]?.targetId, a.reportId);
        const s = await h.store.server('exch00007.fleet.example');
        assert.equal(s?.reports, 1);
        assert.equal(s?.lastSource, 'upload');
      });
      await t.test('invalid → 400 with details', async () => {
        const r = await upload('analyst-token', JSON.stringify({ ...JSON.parse(body) as object, asOf: 'yesterday', findings: [{ id: 'x' }] }));
        assert.equal(r.statusCode, 400);
        const e = JSON.parse(r.body) as { error: string; details: { path: string; message: string }[] };
        assert.equal(e.error, 'invalid report');
        assert.ok(e.details.some((d) => d.path === '/asOf'));
        assert.ok(e.details.some((d) => d.path.startsWith('/findings/0')));
        assert.equal((await upload('analyst-token', '{not json')).statusCode, 400);
      });
      await t.test('too big → 413', async () => {
        const big = JSON.stringify({ ...JSON.parse(body) as object, pad: 'x'.repeat(70 * 1024) });
        const r = await upload('analyst-token', big);
        assert.equal(r.statusCode, 413);
        assert.deepEqual(JSON.parse(r.body), { error: 'request body too large' });
      });
      await t.test('users may name the server and the source; agents may not', async () => {
        const other = JSON.stringify(syntheticReport(8, { findings: 1 }));
        const r = await upload('analyst-token', other, '/api/v1/reports?server=named-by-analyst&source=fingerprint');
        assert.equal(r.statusCode, 201);
        assert.equal((await h.store.server('named-by-analyst'))?.lastSource, 'fingerprint');
        const seenBefore = (await h.store.listAgents()).find((a) => a.id === h.agent.id)?.lastSeenAt;
        assert.equal(seenBefore, null, 'enrolled, never seen');
        const byAgent = await upload('agent', other, '/api/v1/reports?server=somewhere-else');
        assert.equal(byAgent.statusCode, 201);
        const seen = (await h.store.listAgents()).find((a) => a.id === h.agent.id)?.lastSeenAt;
        assert.ok(seen !== null && seen !== undefined && Date.now() - Date.parse(seen) < 60_000, 'the upload marked the agent seen');
        const s = await h.store.server(h.agent.hostname);
        assert.equal(s?.lastSource, 'agent');
        assert.equal(await h.store.server('somewhere-else'), null);
        assert.equal((await upload('analyst-token', other, '/api/v1/reports?server=bad%20name')).statusCode, 400);
      });
      await t.test('server detail carries the newest posture', async () => {
        const r = await h.as('viewer-session', { method: 'GET', url: '/api/v1/servers/exch00007.fleet.example' });
        assert.equal(r.statusCode, 200);
        const s = JSON.parse(r.body) as { posture: { build: string } | null; openCves: number };
        assert.equal(s.posture?.build, '15.2.792.3');
      });
      await t.test('compliance JSON: build directive per server; CSV by Accept and by format', async () => {
        const r = await h.as('viewer-token', { method: 'GET', url: '/api/v1/compliance?directive=ED-21-02-SDv2' });
        assert.equal(r.statusCode, 200, r.body);
        const c = JSON.parse(r.body) as { deadline: string; daysLeft: number; servers: { server: string; status: string }[] };
        assert.equal(c.deadline, '2021-04-16');
        assert.ok(c.daysLeft < 0);
        assert.equal(c.servers.find((s) => s.server === 'exch00007.fleet.example')?.status, 'not_compliant');
        const csv = await h.as('viewer-token', { method: 'GET', url: '/api/v1/compliance?directive=ED-21-02-SDv2', headers: { accept: 'text/csv' } });
        assert.match(String(csv.headers['content-type']), /^text\/csv/);
        assert.match(csv.body, /^"directive","as_of"/);
        const csv2 = await h.as('viewer-token', { method: 'GET', url: '/api/v1/compliance?directive=HUNT-7D&format=csv' });
        assert.match(csv2.body, /"HUNT-7D","2026-11-27"/);
        assert.equal((await h.as('viewer-token', { method: 'GET', url: '/api/v1/compliance?directive=NOPE' })).statusCode, 404);
      });
      await t.test('hunt directive: fresh reports comply, a fingerprint alone does not', async () => {
        const r = await h.as('viewer-token', { method: 'GET', url: '/api/v1/compliance?directive=HUNT-30D&asOf=2026-12-01' });
        const c = JSON.parse(r.body) as { servers: { server: string; status: string; daysLeft: number | null }[] };
        const bySrv = new Map(c.servers.map((s) => [s.server, s]));
        assert.equal(bySrv.get('named-by-analyst')?.status, 'not_compliant');
        assert.equal(bySrv.get(h.agent.hostname)?.status, 'compliant');
      });
    } finally {
      await h.close();
    }
  });
}
