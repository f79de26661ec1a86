/**
 * The kept overview numbers (fleet totals, per-day trend, rule titles) against the aggregates
 * they replace, on SQLite and PostgreSQL: after ingests over several days, triage and an agent
 * enrolment; and after migrating down to 0002 and up again (the backfill of migration 0003).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator, sql } from 'kysely';
import type { Report } from '../../findings/types.js';
import type { Actor, FleetTotals, FleetTrendPoint } from './types.js';
import type { KyselyFleetStore } from './fleet-store.js';
import { migrationProvider } from './migrations/index.js';
import { num } from './context.js';
import { syntheticHost, syntheticReport } from './seed.js';
import { pgTestUrl, PG_SKIP_MESSAGE, type TestBackend } from './test-db.js';
import { ingestAs, useTestStore } from './testing/store-fixture.js';

const AGENT: Actor = { kind: 'agent', id: 'a1', name: 'agent-1' };
const ANALYST: Actor = { kind: 'user', id: 'u1', name: 'ana' };
const DAY = 24 * 3600 * 1000;

/** The overview totals as the store computed them before migration 0003: one pass over servers. */
async function scannedTotals(store: KyselyFleetStore): Promise<FleetTotals> {
  const r = await store.db.selectFrom('servers').select((eb) => [
    eb.fn.countAll().as('servers'),
    eb.fn.sum(eb.case().when('open_cves', '>', 0).then(1).else(0).end()).as('exposed'),
    eb.fn.sum(eb.case().when('open_exploited_cves', '>', 0).then(1).else(0).end()).as('exploited'),
    eb.fn.sum(eb.case().when('max_compromise', '>=', 3).then(1).else(0).end()).as('compromised'),
    eb.fn.sum('untriaged').as('untriaged'),
    eb.fn.sum(eb.case().when('supported', '=', 0).then(1).else(0).end()).as('unsupported'),
    eb.fn.sum('open_critical').as('critical'), eb.fn.sum('open_high').as('high'), eb.fn.sum('open_medium').as('medium'),
    eb.fn.sum('open_low').as('low'), eb.fn.sum('open_info').as('info'),
  ]).executeTakeFirstOrThrow();
  return {
    servers: num(r.servers), exposed: num(r.exposed), exploitedExposed: num(r.exploited), compromised: num(r.compromised),
    untriaged: num(r.untriaged), unsupported: num(r.unsupported),
    findingsBySeverity: { critical: num(r.critical), high: num(r.high), medium: num(r.medium), low: num(r.low), info: num(r.info) },
  };
}

/** The trend as computed before migration 0003: reports of the window grouped by day. */
async function scannedTrend(store: KyselyFleetStore, days: number, asOf: string): Promise<FleetTrendPoint[]> {
  const end = Date.parse(`${asOf}T00:00:00.000Z`);
  const start = end - (days - 1) * DAY;
  const day = sql<string>`substr(received_at, 1, 10)`;
  const rows = await store.db.selectFrom('reports').select((eb) => [
    day.as('day'), eb.fn.countAll().as('reports'), eb.fn.sum('findings').as('findings'),
    eb.fn.count(eb.case().when('open_cves', '>', 0).then(eb.ref('server_id')).end()).distinct().as('exposed'),
  ]).where('received_at', '>=', new Date(start).toISOString()).where('received_at', '<', new Date(end + DAY).toISOString()).groupBy(day).execute();
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(start + i * DAY).toISOString().slice(0, 10);
    const r = byDay.get(d);
    return { day: d, reports: num(r?.reports), findings: num(r?.findings), exposedServers: num(r?.exposed) };
  });
}

async function rulePairs(store: KyselyFleetStore): Promise<string[]> {
  const kept = await store.db.selectFrom('rules').select(['rule_id', 'title']).execute();
  return kept.map((r) => `${r.rule_id} | ${r.title}`).sort();
}

function suite(backend: TestBackend): void {
  const skip = backend === 'postgres' && pgTestUrl() === null ? PG_SKIP_MESSAGE : false;
  describe(`fleet rollups (${backend})`, { skip }, () => {
    let store: KyselyFleetStore;
    let clock = Date.parse('2026-11-18T23:30:00Z');
    const ingest = (name: string, report: Report): Promise<unknown> => ingestAs(store, name, report, AGENT);
    const expectKeptEqualsScanned = async (label: string): Promise<void> => {
      assert.deepEqual(await store.totals(), await scannedTotals(store), `totals ${label}`);
      assert.deepEqual(await store.trend(5, '2026-11-21'), await scannedTrend(store, 5, '2026-11-21'), `trend ${label}`);
      const distinct = await store.db.selectFrom('findings').select(['rule_id', 'title']).distinct().execute();
      assert.deepEqual(await rulePairs(store), distinct.map((r) => `${r.rule_id} | ${r.title}`).sort(), `rules ${label}`);
    };
    useTestStore(backend, () => new Date(clock), (s) => (store = s));

    it('keeps totals, trend and rules equal to the aggregates through ingest, triage and enrolment', async () => {
      assert.deepEqual(await store.totals(), await scannedTotals(store), 'empty fleet');
      for (let day = 0; day < 3; day++) {
        for (let i = 0; i < 4; i++) await ingest(syntheticHost(i), syntheticReport(i, { findings: 3 + i + day, round: day }));
        // The same server twice on one day: one exposed server, two reports.
        await ingest(syntheticHost(0), syntheticReport(0, { findings: 2, round: 10 + day }));
        clock += DAY;
        await expectKeptEqualsScanned(`day ${day}`);
      }
      const some = await store.listFindings({ status: 'new', limit: 7, offset: 0 });
      await store.triage(some.items.map((f) => f.id), { status: 'remediated' }, ANALYST);
      await store.triage(some.items.slice(0, 2).map((f) => f.id), { status: 'confirmed', assignee: 'ana' }, ANALYST);
      const token = await store.createEnrolmentToken(ANALYST, { ttlSeconds: 600, uses: 2 });
      await store.enrollAgent(token.token, 'fresh-server');
      await store.enrollAgent(token.token, syntheticHost(1));
      await expectKeptEqualsScanned('after triage and enrolment');
      assert.equal((await store.totals()).servers, 5);
      await Promise.all([1, 2, 3].map((i) => ingest(syntheticHost(i), syntheticReport(i, { findings: 4, round: 20 + i }))));
      await expectKeptEqualsScanned('after concurrent ingests');
    });

    it('migration 0003 backfills the same numbers from a database that had none', async () => {
      const totals = await store.totals();
      const trend = await store.trend(5, '2026-11-21');
      const rules = await rulePairs(store);
      const migrator = new Migrator({ db: store.db, provider: migrationProvider });
      const down = await migrator.migrateTo('0002-login-failures-index');
      assert.equal(down.error, undefined);
      assert.ok(down.results?.some((r) => r.migrationName === '0003-fleet-rollups' && r.direction === 'Down'));
      await store.migrate();
      assert.deepEqual(await store.totals(), totals);
      assert.deepEqual(await store.trend(5, '2026-11-21'), trend);
      assert.deepEqual(await rulePairs(store), rules);
      await expectKeptEqualsScanned('after the backfill');
    });
  });
}

suite('sqlite');
suite('postgres');
