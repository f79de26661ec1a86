/**
 * Latency of the dashboard and API reads on a seeded fleet (seed.ts: 10,000 servers, 1,000,000
 * findings): each route 200 times sequentially and 200 times with 8 requests in flight, as the
 * logged-in bench user (session cookie), through the real HTTP server (serve-child.ts, its own
 * process); p50 / p95 / max per route, as Markdown table rows on stdout, JSON on stderr.
 *
 *   npx tsx bench/server/latency.ts --state FILE [--requests 200] [--concurrency 8] [--budget 60] [--only TEXT]
 * --budget: seconds per route and mode after which a slow route stops early (fewer samples, said so).
 */
import type { Kysely } from 'kysely';
import { encodeCursor } from '../../src/server/store/finding-cursor.js';
import type { FleetDb } from '../../src/server/store/schema.js';
import { arg, BENCH_PASSWORD, BENCH_USER, loadTarget, openBench, percentiles } from './bench-db.js';
import { loginCookie, startChild } from './listen.js';

interface Route {
  readonly name: string;
  /** The path of the i-th request (some routes vary the server or the search). */
  readonly path: (i: number) => string;
}

/** The cursor (`after=`) of the findings list's row `n` (1-based), as the server's "next" links carry it. */
async function cursorAt(db: Kysely<FleetDb>, n: number): Promise<string> {
  const r = await db.selectFrom('findings').select(['severity_rank', 'seen_at', 'id'])
    .orderBy('severity_rank', 'desc').orderBy('seen_at', 'desc').orderBy('id', 'desc').limit(1).offset(Math.max(0, n - 1)).executeTakeFirst();
  if (r === undefined && n > 1) return cursorAt(db, 1); // a smaller bench database: the first row's
  return r === undefined ? '' : encodeURIComponent(encodeCursor({ rank: r.severity_rank, seenAt: r.seen_at, id: r.id }));
}

async function routes(db: Kysely<FleetDb>): Promise<Route[]> {
  const ids = (await db.selectFrom('servers').select('id').orderBy('name_key').execute()).map((r) => r.id);
  const total = ids.length;
  const server = (i: number): string => ids[(i * 7919) % total] ?? '';
  const deep = Math.max(0, total - 50);
  const r = (name: string, path: string | ((i: number) => string)): Route => ({ name, path: typeof path === 'string' ? () => path : path });
  return [
    r('GET / (overview, name)', '/'),
    r('GET / sort=openCves desc', '/?sort=openCves&desc=1'),
    r('GET / sort=lastReportAt desc, minSeverity=high', '/?sort=lastReportAt&desc=1&minSeverity=high'),
    r('GET / exposed, sort=build', '/?exposed=1&sort=build'),
    r('GET / search', (i) => `/?search=mbx0${String(i % 100).padStart(2, '0')}`),
    r(`GET / deep page (offset ${deep})`, `/?offset=${deep}`),
    r('GET /api/v1/servers (name)', '/api/v1/servers'),
    r('GET /api/v1/servers sort=maxSeverity desc', '/api/v1/servers?sort=maxSeverity&desc=true'),
    r('GET /api/v1/servers sort=untriaged desc, minSeverity=critical', '/api/v1/servers?sort=untriaged&desc=true&minSeverity=critical'),
    r('GET /api/v1/servers exposedOnly, sort=build', '/api/v1/servers?exposedOnly=true&sort=build'),
    r(`GET /api/v1/servers deep page (offset ${deep})`, `/api/v1/servers?sort=openExploitedCves&offset=${deep}`),
    r('GET /servers/:id (varied)', (i) => `/servers/${server(i)}`),
    r('GET /api/v1/servers/:id (varied)', (i) => `/api/v1/servers/${server(i)}`),
    r('GET /findings', '/findings'),
    r('GET /findings status=new, minSeverity=high', '/findings?status=new&minSeverity=high'),
    r('GET /findings status=confirmed, category=webshell', '/findings?status=confirmed&category=webshell'),
    r('GET /findings offset 10000 (the cap)', '/findings?offset=10000'),
    r('GET /findings deep page (cursor after row 100000)', `/findings?after=${await cursorAt(db, 100_000)}`),
    r('GET /api/v1/findings', '/api/v1/findings'),
    r('GET /api/v1/findings status=new, minSeverity=critical', '/api/v1/findings?status=new&minSeverity=critical'),
    r('GET /api/v1/findings serverId (varied)', (i) => `/api/v1/findings?serverId=${server(i)}`),
    r('GET /api/v1/findings search', '/api/v1/findings?search=proxyshell'),
    r('GET /api/v1/findings deep page (cursor after row 500000)', `/api/v1/findings?after=${await cursorAt(db, 500_000)}`),
    r('GET /findings search', '/findings?search=webshell'),
  ];
}

/** Times up to `n` requests; stops early once `budgetMs` have passed (slow routes: fewer samples). */
async function timeRoute(base: string, cookie: string, route: Route, n: number, concurrency: number, budgetMs: number, failures: string[]): Promise<number[]> {
  const ms: number[] = [];
  let next = 0;
  const until = performance.now() + budgetMs;
  const worker = async (): Promise<void> => {
    while (next < n && performance.now() < until) {
      const i = next++;
      const t = performance.now();
      try {
        const res = await fetch(`${base}${route.path(i)}`, { headers: { cookie, accept: 'text/html,application/json' } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      } catch (err) {
        // Counted, not fatal: e.g. the server closes a connection whose request waited past its timeout.
        failures.push(`${route.path(i)}: ${err instanceof Error ? err.message : String(err)}`);
      }
      ms.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ms;
}

async function main(): Promise<void> {
  const state = arg('state', '');
  const target = loadTarget(state);
  const n = Number(arg('requests', '200'));
  const conc = Number(arg('concurrency', '8'));
  const only = arg('only', '');
  const budgetMs = Number(arg('budget', '60')) * 1000;
  const store = await openBench(target, 1);
  if (await store.verifyPassword(BENCH_USER, BENCH_PASSWORD) === null) await store.addUser(BENCH_USER, 'analyst', BENCH_PASSWORD, { kind: 'system', id: null, name: 'bench' });
  const list = (await routes(store.db)).filter((r) => only === '' || r.name.includes(only));
  await store.close();
  const srv = await startChild(state);
  try {
    const cookie = await loginCookie(srv.base);
    const rows = [];
    for (const route of list) {
      const failures: string[] = [];
      await timeRoute(srv.base, cookie, route, 5, 1, budgetMs, failures); // warm-up
      const seqMs = await timeRoute(srv.base, cookie, route, n, 1, budgetMs, failures);
      const parMs = await timeRoute(srv.base, cookie, route, n, conc, budgetMs, failures);
      const seq = percentiles(seqMs);
      const par = percentiles(parMs);
      const row = { route: route.name, seq, par, samples: [seqMs.length, parMs.length], failures: failures.length, firstFailure: failures[0] };
      rows.push(row);
      const f = (p: { p50: number; p95: number; max: number }): string => `${p.p50.toFixed(0)} / ${p.p95.toFixed(0)} / ${p.max.toFixed(0)}`;
      const cut = (seqMs.length < n || parMs.length < n ? ` (${seqMs.length}+${parMs.length} req, ${budgetMs / 1000} s cap)` : '')
        + (failures.length > 0 ? ` (${failures.length} failed: ${failures[0] ?? ''})` : '');
      console.log(`| ${target.backend} | ${route.name}${cut} | ${f(seq)} | ${f(par)} | ${seq.p95 < 200 && par.p95 < 200 ? 'yes' : '**no**'} |`);
    }
    const server = await srv.stop();
    console.error(JSON.stringify({ step: 'latency', backend: target.backend, requests: n, concurrency: conc, ...server, rows }));
  } catch (err) {
    await srv.stop();
    throw err;
  }
}

await main();
