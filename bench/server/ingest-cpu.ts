/**
 * Store-level ingest cost on SQLite without HTTP: `ingestReport` for N generated reports
 * (fleet-gen.ts, ~100 findings each) into a fresh SQLite store, once with the store's caches
 * (compiled upsert SQL, prepared statements) and once without; prints reports/s and CPU ms per
 * report for both, so the caches' effect is measured apart from the HTTP server and the client.
 *
 *   npx tsx bench/server/ingest-cpu.ts [--reports 300] [--queries 1]   (--queries: also the SQL time per statement shape, cached run)
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import { KyselyFleetStore } from '../../src/server/store/fleet-store.js';
import type { FleetDb } from '../../src/server/store/schema.js';
import { cachingSqlite, Lru, type SqlShape } from '../../src/server/store/sql-cache.js';
import { arg } from './bench-db.js';
import { benchHost, fleetGenerator } from './fleet-gen.js';

const AGENT = { kind: 'agent', id: 'a', name: 'bench' } as const;

/** Milliseconds per statement shape (placeholder lists folded), filled when --queries is given. */
type Timings = Map<string, number>;

function logInto(t: Timings | null) {
  if (t === null) return undefined;
  return (e: LogEvent): void => {
    const k = e.query.sql.replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(…)').slice(0, 120);
    t.set(k, (t.get(k) ?? 0) + e.queryDurationMillis);
  };
}

async function run(cached: boolean, n: number, gen: ReturnType<typeof fleetGenerator>, timings: Timings | null = null): Promise<{ perSecond: number; cpuMsPerReport: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-ingest-cpu-'));
  try {
    const raw = new Database(join(dir, 'fleet.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    const db = new Kysely<FleetDb>({ dialect: new SqliteDialect({ database: cached ? cachingSqlite(raw) : raw }), log: logInto(timings) });
    const store = new KyselyFleetStore({ db, dialect: 'sqlite', now: () => new Date(), exploited: () => false, shapes: new Lru<string, SqlShape>(cached ? 1000 : 0) });
    await store.migrate();
    const reports = Array.from({ length: n }, (_, i) => gen.report(i, benchHost(i), { findings: 50 + (i % 101) }));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const [i, report] of reports.entries()) {
      const body = JSON.stringify(report);
      await store.ingestReport({ serverName: benchHost(i), report, sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length, source: 'agent', actor: AGENT });
    }
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await store.close();
    return { perSecond: +(n / s).toFixed(1), cpuMsPerReport: +((cpu.user + cpu.system) / 1000 / n).toFixed(2) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const n = Number(arg('reports', '300'));
const gen = fleetGenerator();
await run(true, Math.min(n, 100), gen); // warm-up (JIT, KB load)
const without = await run(false, n, gen);
const timings: Timings | null = arg('queries', '') !== '' ? new Map() : null;
const withCaches = await run(true, n, gen, timings);
for (const [k, v] of [...(timings ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.error(`${(v / n).toFixed(2)} ms/report  ${k}`);
const again = await run(false, n, gen);
console.log(JSON.stringify({ step: 'ingest-cpu', reports: n, withoutCaches: without, withCaches, withoutCachesAgain: again }));
