/**
 * The query plans of the read pages on a seeded bench database (seed.ts): runs the store calls
 * each page makes (overview with every server sort key and direction, findings lists first /
 * by cursor / offset / search, one server), captures the SQL they send, and prints for each its
 * time and plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN ANALYZE). Read-only; open a
 * copy of an SQLite file, never a database another process is writing.
 *
 *   npx tsx bench/server/plans.ts --state FILE [--only TEXT]
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import { KyselyFleetStore } from '../../src/server/store/fleet-store.js';
import { SQLITE_FILE } from '../../src/server/store/open.js';
import { Lru, type SqlShape } from '../../src/server/store/sql-cache.js';
import type { FleetDb } from '../../src/server/store/schema.js';
import type { FleetStore } from '../../src/server/store/types.js';
import { arg, loadTarget } from './bench-db.js';

interface Captured { readonly sql: string; readonly parameters: readonly unknown[]; readonly ms: number }

const SORTS = ['name', 'build', 'openCves', 'openExploitedCves', 'maxSeverity', 'untriaged', 'lastReportAt'] as const;

async function cases(store: FleetStore): Promise<[string, () => Promise<unknown>][]> {
  const out: [string, () => Promise<unknown>][] = [
    ['overview totals', () => store.totals()],
    ['overview trend', () => store.trend(30, new Date().toISOString())],
  ];
  for (const sort of SORTS) for (const desc of [false, true]) {
    out.push([`servers sort=${sort}${desc ? ' desc' : ''}`, () => store.listServers({ sort, desc, limit: 50, offset: 0 })]);
    out.push([`servers sort=${sort}${desc ? ' desc' : ''} offset 9950`, () => store.listServers({ sort, desc, limit: 50, offset: 9950 })]);
  }
  out.push(['servers minSeverity=high sort=lastReportAt desc', () => store.listServers({ sort: 'lastReportAt', desc: true, minSeverity: 'high', limit: 50, offset: 0 })]);
  out.push(['servers exposedOnly sort=build', () => store.listServers({ sort: 'build', exposedOnly: true, limit: 50, offset: 0 })]);
  const first = await store.listFindings({ limit: 50, offset: 10_000 });
  const after = first.next ?? undefined;
  out.push(['findings first page', () => store.listFindings({ limit: 50, offset: 0 })]);
  out.push(['findings offset 10000', () => store.listFindings({ limit: 50, offset: 10_000 })]);
  out.push(['findings after a cursor (page 202)', () => store.listFindings({ after, limit: 50, offset: 0 })]);
  out.push(['findings status=new minSeverity=high', () => store.listFindings({ status: 'new', minSeverity: 'high', limit: 50, offset: 0 })]);
  out.push(['findings status=confirmed category=webshell', () => store.listFindings({ status: 'confirmed', category: 'webshell', limit: 50, offset: 0 })]);
  out.push(['findings search=proxyshell', () => store.listFindings({ search: 'proxyshell', limit: 50, offset: 0 })]);
  out.push(['findings search=proxyshell status=new', () => store.listFindings({ search: 'proxyshell', status: 'new', limit: 50, offset: 0 })]);
  const one = (await store.listServers({ limit: 1, offset: 5000 })).items[0]?.id ?? '';
  out.push(['findings of one server', () => store.listFindings({ serverId: one, limit: 50, offset: 0 })]);
  return out;
}

function open(t: ReturnType<typeof loadTarget>, log: (e: LogEvent) => void): { db: Kysely<FleetDb>; dialect: 'sqlite' | 'postgres' } {
  if (t.backend === 'postgres') {
    const pool = new pg.Pool({ connectionString: t.url, max: 2, options: '-c jit=off' });
    return { db: new Kysely<FleetDb>({ dialect: new PostgresDialect({ pool }), log }), dialect: 'postgres' };
  }
  const database = new Database(join(t.dataDir, SQLITE_FILE), { readonly: true });
  return { db: new Kysely<FleetDb>({ dialect: new SqliteDialect({ database }), log }), dialect: 'sqlite' };
}

async function main(): Promise<void> {
  const target = loadTarget(arg('state', ''));
  const only = arg('only', '');
  let captured: Captured[] = [];
  const { db, dialect } = open(target, (e) => {
    if (e.level === 'query') captured.push({ sql: e.query.sql, parameters: e.query.parameters, ms: e.queryDurationMillis });
  });
  const store = new KyselyFleetStore({ db, dialect, now: () => new Date(), exploited: () => false, shapes: new Lru<string, SqlShape>(10) });
  try {
    for (const [name, run] of await cases(store)) {
      if (only !== '' && !name.includes(only)) continue;
      await run(); // warm
      captured = [];
      await run();
      const queries = captured;
      captured = []; // the EXPLAINs below are logged into a throwaway list
      console.log(`\n## ${name}`);
      for (const q of queries) {
        const explain = dialect === 'sqlite' ? `explain query plan ${q.sql}` : `explain (analyze, costs off, timing off, summary off) ${q.sql}`;
        const plan = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(explain, [...q.parameters]));
        const lines = plan.rows.map((r) => {
          const line = r.detail ?? r['QUERY PLAN'];
          return typeof line === 'string' ? line : JSON.stringify(r);
        });
        console.log(`- ${q.ms.toFixed(1)} ms: ${q.sql.slice(0, 160)}${q.sql.length > 160 ? '…' : ''}`);
        for (const l of lines) console.log(`    ${l}`);
      }
    }
  } finally {
    await db.destroy();
  }
}

await main();
