/**
 * Fleet store contract, reports and findings: one suite run against SQLite and PostgreSQL.
 * Ingest (duplicates, races, triage surviving re-ingest), the summary columns after ingest and
 * triage, the overview, findings list, totals, trend, report history and audit entries.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../../findings/types.js';
import type { Actor, IngestResult } from './types.js';
import type { KyselyFleetStore } from './fleet-store.js';
import { syntheticHost, syntheticReport } from './seed.js';
import { pgTestUrl, PG_SKIP_MESSAGE, type TestBackend } from './test-db.js';
import { ingestAs, useTestStore } from './testing/store-fixture.js';

const AGENT: Actor = { kind: 'agent', id: 'a1', name: 'agent-1' };
const ANALYST: Actor = { kind: 'user', id: 'u1', name: 'ana' };

function ingest(store: KyselyFleetStore, serverName: string, report: Report): Promise<IngestResult> {
  return ingestAs(store, serverName, report, AGENT);
}

function suite(backend: TestBackend): void {
  const skip = backend === 'postgres' && pgTestUrl() === null ? PG_SKIP_MESSAGE : false;
  describe(`fleet store: reports and findings (${backend})`, { skip }, () => {
    let store: KyselyFleetStore;
    let clock = Date.parse('2026-11-20T08:00:00Z');
    // Server 0: 3 open CVEs (CVE-2021-26855 and CVE-2021-27065 exploited per the KB); 10 findings, 2 per severity.
    const r0 = syntheticReport(0, { findings: 10 });
    useTestStore(backend, () => new Date(clock), (s) => (store = s));

    it('ingests a report once; the same body again is a duplicate', async () => {
      const first = await ingest(store, syntheticHost(0), r0);
      assert.equal(first.duplicate, false);
      assert.equal(first.findings, 10);
      const again = await ingest(store, syntheticHost(0).toUpperCase(), r0);
      assert.deepEqual(again, { ...first, duplicate: true });
      const reports = await store.reportsOf(first.serverId, 10, 0);
      assert.equal(reports.total, 1);
      assert.equal(reports.items[0]?.maxSeverity, 'critical');
      assert.deepEqual(await store.reportBody(first.reportId), r0);
      const audit = await store.listAudit({ limit: 10, offset: 0, targetKind: 'report' });
      assert.deepEqual(audit.items.map((a) => [a.action, a.targetId, a.actorName]), [['report.ingested', first.reportId, 'agent-1']]);
    });

    it('keeps the summary columns of the newest report and open findings', async () => {
      const s = await store.server(syntheticHost(0));
      assert.ok(s);
      assert.equal(s.build, '15.2.792.3');
      assert.equal(s.supported, false);
      assert.equal(s.openCves, 3);
      assert.equal(s.openExploitedCves, 2);
      assert.equal(s.maxSeverity, 'critical');
      assert.equal(s.untriaged, 10);
      assert.equal(s.findings, 10);
      assert.equal(s.reports, 1);
      assert.equal(s.lastSource, 'agent');
      assert.equal(s.lastReportAt, new Date(clock).toISOString());
      assert.equal((await store.server(s.id))?.name, syntheticHost(0));
      assert.equal(await store.server('no-such-server'), null);
    });

    it('triage changes status, assignee and comments, one audit entry per finding, and the summary', async () => {
      const s = await store.server(syntheticHost(0));
      assert.ok(s);
      const crit = await store.listFindings({ serverId: s.id, minSeverity: 'critical', limit: 10, offset: 0 });
      assert.equal(crit.total, 2);
      const ids = crit.items.map((f) => f.id);
      clock += 60_000;
      assert.equal(await store.triage(ids, { status: 'false_positive', assignee: 'ana', comment: 'lab host' }, ANALYST), 2);
      assert.equal(await store.triage(ids, { status: 'false_positive' }, ANALYST), 0, 'no change, no count');
      const after = await store.server(s.id);
      assert.equal(after?.maxSeverity, 'high');
      assert.equal(after?.untriaged, 8);
      const d = await store.finding(ids[0] ?? '');
      assert.equal(d?.status, 'false_positive');
      assert.equal(d?.assignee, 'ana');
      assert.deepEqual(d?.comments, [{ at: new Date(clock).toISOString(), user: 'ana', text: 'lab host' }]);
      assert.equal(d?.data.id, d?.findingId);
      const audit = await store.listAudit({ limit: 10, offset: 0, targetKind: 'finding' });
      assert.equal(audit.total, 2);
      for (const a of audit.items) {
        assert.equal(a.action, 'finding.triaged');
        assert.deepEqual({ from: a.details.from, to: a.details.to, comment: a.details.comment }, { from: 'new', to: 'false_positive', comment: 'lab host' });
      }
      assert.equal((await store.totals()).findingsBySeverity.critical, 0);
    });

    it('a new report of the server keeps triage state and moves the summary on', async () => {
      clock += 3600_000;
      const r = syntheticReport(0, { findings: 12, round: 1 });
      const res = await ingest(store, syntheticHost(0), r);
      assert.equal(res.duplicate, false);
      const s = await store.server(syntheticHost(0));
      assert.equal(s?.reports, 2);
      assert.equal(s?.findings, 12);
      assert.equal(s?.untriaged, 10);
      assert.equal(s?.maxSeverity, 'critical', 'finding 11 of the new report is critical');
      const fp = await store.listFindings({ serverId: s?.id ?? '', status: 'false_positive', limit: 10, offset: 0 });
      assert.equal(fp.total, 2);
      assert.ok(fp.items.every((f) => f.lastReportId === res.reportId && f.assignee === 'ana'));
      assert.equal(fp.items[0]?.firstSeen, '2026-11-26T23:59:00.000Z');
      assert.equal(fp.items[0]?.lastSeen, '2026-11-27T00:00:00.000Z');
    });

    it('racing uploads of one body store it once', async () => {
      const r = syntheticReport(1, { findings: 5 });
      const results = await Promise.all([0, 1, 2, 3].map(() => ingest(store, syntheticHost(1), r)));
      assert.equal(results.filter((x) => !x.duplicate).length, 1);
      assert.equal(new Set(results.map((x) => x.reportId)).size, 1);
      assert.equal((await store.server(syntheticHost(1)))?.reports, 1);
    });

    it('a report repeating a finding id stores it once; a report without posture keeps the old posture', async () => {
      const base = syntheticReport(2, { findings: 3 });
      await ingest(store, syntheticHost(2), base);
      const f = base.findings[0];
      assert.ok(f);
      const r: Report = { ...base, posture: null, findings: [f, { ...f, title: 'again' }] };
      const res = await ingest(store, syntheticHost(2), r);
      const s = await store.server(res.serverId);
      assert.equal(s?.findings, 3);
      assert.equal(s?.openCves, 0, 'server 2 has no open CVEs');
      assert.equal(s?.build, '15.2.1544.4');
      const list = await store.listFindings({ serverId: res.serverId, search: 'again', limit: 5, offset: 0 });
      assert.equal(list.total, 1);
    });

    it('lists servers sorted, filtered, searched and paginated', async () => {
      await ingest(store, 'never%reported_100', syntheticReport(4, { findings: 0 }));
      const all = await store.listServers({ limit: 50, offset: 0 });
      assert.deepEqual(all.items.map((s) => s.name), [syntheticHost(0), syntheticHost(1), syntheticHost(2), 'never%reported_100']);
      const byCves = await store.listServers({ sort: 'openCves', desc: true, limit: 2, offset: 0 });
      assert.equal(byCves.total, 4);
      assert.deepEqual(byCves.items.map((s) => s.openCves), [3, 1]);
      const exposed = await store.listServers({ exposedOnly: true, limit: 50, offset: 0 });
      assert.deepEqual(exposed.items.map((s) => s.name), [syntheticHost(0), syntheticHost(1), 'never%reported_100']);
      assert.equal((await store.listServers({ search: '%', limit: 50, offset: 0 })).total, 1, '% is literal');
      assert.equal((await store.listServers({ search: 'EXCH0000', limit: 50, offset: 0 })).total, 3);
      const severe = await store.listServers({ minSeverity: 'critical', limit: 50, offset: 0 });
      assert.ok(severe.items.every((s) => s.maxSeverity === 'critical'));
      const page2 = await store.listServers({ sort: 'lastReportAt', desc: true, limit: 1, offset: 1 });
      assert.equal(page2.items.length, 1);
      for (const sort of ['name', 'build', 'openExploitedCves', 'maxSeverity', 'untriaged'] as const) {
        assert.equal((await store.listServers({ sort, limit: 50, offset: 0 })).total, 4);
      }
    });

    it('lists findings by server, status, severity, category and text, most severe first', async () => {
      const all = await store.listFindings({ limit: 1000, offset: 0 });
      assert.equal(all.total, 12 + 5 + 3);
      const ranks = all.items.map((f) => ['info', 'low', 'medium', 'high', 'critical'].indexOf(f.severity));
      assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a));
      const cat = await store.listFindings({ category: 'webshell', limit: 1000, offset: 0 });
      assert.ok(cat.total > 0 && cat.items.every((f) => f.category === 'webshell'));
      const text = await store.listFindings({ search: 'FINDING 3 ON SERVER 1', limit: 10, offset: 0 });
      assert.equal(text.total, 1);
      assert.equal(text.items[0]?.serverName, syntheticHost(1));
      assert.equal((await store.listFindings({ search: '_', limit: 10, offset: 0 })).total, 0, '_ is literal');
      assert.equal(await store.finding('no-such-id'), null);
    });

    it('fleet-wide list totals (kept counts) match the rows after ingests and triage', async () => {
      const queries = [{}, { status: 'new' }, { status: 'false_positive' }, { minSeverity: 'high' }, { category: 'posture' }, { status: 'new', minSeverity: 'medium', category: 'ioc' }] as const;
      for (const q of queries) {
        const page = await store.listFindings({ ...q, limit: 1000, offset: 0 });
        assert.equal(page.total, page.items.length, JSON.stringify(q));
      }
      const some = await store.listFindings({ status: 'new', limit: 3, offset: 0 });
      await store.triage(some.items.map((f) => f.id), { status: 'remediated' }, ANALYST);
      for (const q of queries) {
        const page = await store.listFindings({ ...q, limit: 1000, offset: 0 });
        assert.equal(page.total, page.items.length, JSON.stringify(q));
      }
      assert.equal((await store.listFindings({ status: 'remediated', limit: 10, offset: 0 })).total, 3);
    });

    it('totals and trend come from the summary columns and report rows', async () => {
      const t = await store.totals();
      assert.equal(t.servers, 4);
      assert.equal(t.exposed, 3);
      assert.equal(t.exploitedExposed, 1, 'only server 0 has CVEs the KB flags exploited');
      assert.equal(t.unsupported, 3);
      const untriaged = (await store.listServers({ limit: 50, offset: 0 })).items.reduce((n, s) => n + s.untriaged, 0);
      assert.equal(t.untriaged, untriaged);
      const trend = await store.trend(3, '2026-11-20');
      assert.deepEqual(trend.map((p) => p.day), ['2026-11-18', '2026-11-19', '2026-11-20']);
      const today = trend[2];
      assert.equal(today?.reports, 6);
      assert.equal(today?.findings, 10 + 12 + 5 + 3 + 2 + 0);
      assert.equal(today?.exposedServers, 3);
      assert.equal(trend[0]?.reports, 0);
    });

    it('a remediated finding reopens only when it comes back with newer evidence', async () => {
      const host = syntheticHost(30);
      const first = syntheticReport(30, { findings: 2 });
      await ingest(store, host, first);
      const serverId = (await store.server(host))?.id ?? '';
      const rows = await store.listFindings({ serverId, limit: 10, offset: 0 });
      await store.triage(rows.items.map((f) => f.id), { status: 'remediated' }, ANALYST);
      // The same evidence again (old log lines still on disk), in a report with other bytes.
      await ingest(store, host, { ...first, asOf: '2026-11-21' });
      assert.equal((await store.listFindings({ serverId, status: 'remediated', limit: 10, offset: 0 })).total, 2);
      // One finding seen again later: it is reopened, with an audit entry; the other stays.
      const f0 = first.findings[0];
      assert.ok(f0);
      const later = { ...f0, time: '2099-01-01T00:00:00Z', lastSeen: '2099-01-01T00:00:00Z' };
      await ingest(store, host, { ...first, asOf: '2026-11-22', findings: [later, ...first.findings.slice(1)] });
      const open = await store.listFindings({ serverId, status: 'new', limit: 10, offset: 0 });
      assert.deepEqual(open.items.map((f) => f.findingId), [f0.id]);
      const reopened = await store.listAudit({ limit: 10, offset: 0, targetKind: 'finding', targetId: open.items[0]?.id ?? '' });
      assert.ok(reopened.items.some((e) => e.action === 'finding.reopened' && e.details['from'] === 'remediated'));
      assert.equal((await store.server(host))?.untriaged, 1);
    });

    it('concurrent ingests and triage keep the kept counts exact', async () => {
      const reports = [1, 2, 3].map((round) => syntheticReport(7, { findings: 6 + round, round }));
      const crit = await store.listFindings({ minSeverity: 'critical', status: 'new', limit: 5, offset: 0 });
      await Promise.all([
        ...reports.map((r) => ingest(store, syntheticHost(7), r)),
        ingest(store, syntheticHost(8), syntheticReport(8, { findings: 4 })),
        store.triage(crit.items.map((f) => f.id), { status: 'confirmed' }, ANALYST),
      ]);
      for (const q of [{}, { status: 'new' }, { status: 'confirmed' }, { minSeverity: 'critical' }] as const) {
        const page = await store.listFindings({ ...q, limit: 1000, offset: 0 });
        assert.equal(page.total, page.items.length, JSON.stringify(q));
      }
      assert.equal((await store.server(syntheticHost(7)))?.findings, 9);
      const cleanup = await store.listFindings({ serverId: (await store.server(syntheticHost(7)))?.id ?? '', limit: 100, offset: 0 });
      await store.triage(cleanup.items.map((f) => f.id), { status: 'remediated' }, ANALYST);
    });
  });
}

suite('sqlite');
suite('postgres');
