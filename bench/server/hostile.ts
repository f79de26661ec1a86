/**
 * Load and fault bench of the fleet server against hostile clients (issue 18 items 1, 2, 6). It
 * drives the real `exhunt serve` (a built bin/exhunt.js, so a build from before a change can be
 * compared with one after it) on loopback, and measures:
 *  - anon: 10 (and 40) concurrent anonymous 31 MB uploads: the server's RSS growth and answers;
 *  - invalid: an agent's 4 concurrent 29 MB uploads with 60,000 invalid findings each (2 rounds)
 *    while /healthz is asked every 100 ms: its slowest answer; then 4 valid ~29 MB uploads;
 *  - login: 1,000 concurrent wrong passwords and the right one from one address (how many
 *    passwords were checked), 300 wrong ones for `admin` from 300 addresses and then the admin's
 *    own sign-in, and a burst split over two `serve` processes on one database;
 *  - kill: `kill -9` of the server while 4 uploads are in flight, restart, check that every
 *    stored report has all its findings and that re-sending the bodies stores each exactly once.
 *
 *   node --import tsx bench/server/hostile.ts --exhunt bin/exhunt.js [--db sqlite|postgres] [--only anon,invalid,login,kill] [--trials 5]
 *
 * PostgreSQL needs EXHUNT_TEST_PG. Prints one JSON line per measurement and a summary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { syntheticReport } from '../../src/server/store/seed.js';
import { adminQuery, pgTestUrl, withDatabase } from '../../src/server/store/test-db.js';
import { arg } from './bench-db.js';

const EXHUNT = resolve(arg('exhunt', 'bin/exhunt.js'));
const DB = arg('db', 'sqlite') as 'sqlite' | 'postgres';
const ONLY = new Set(arg('only', 'anon,invalid,login,kill').split(','));
const TRIALS = Number(arg('trials', '5'));
const PASSWORD = 'bench password long enough';
const MB = 1024 * 1024;

function emit(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ exhunt: EXHUNT, db: DB, ...o })}\n`);
}

interface Target { readonly dataDir: string; readonly url?: string; readonly database?: string }

async function newTarget(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exhunt-hostile-'));
  if (DB === 'sqlite') return { dataDir };
  const admin = pgTestUrl();
  if (admin === null) throw new Error('set EXHUNT_TEST_PG');
  const database = `exhunt_hostile_${Date.now().toString(36)}_${process.pid}`;
  await adminQuery(admin, `create database ${database}`);
  return { dataDir, url: withDatabase(admin, database), database };
}

async function dropTarget(t: Target): Promise<void> {
  rmSync(t.dataDir, { recursive: true, force: true });
  const admin = pgTestUrl();
  if (t.database !== undefined && admin !== null) await adminQuery(admin, `drop database if exists ${t.database} with (force)`);
}

function dbArgs(t: Target): string[] {
  return ['--data', t.dataDir, ...(t.url !== undefined ? ['--db', t.url] : [])];
}

function run(args: string[], input: string): Promise<void> {
  return new Promise((ok, fail) => {
    const c = spawn(process.execPath, [EXHUNT, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    c.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`exhunt ${args[0] ?? ''}: ${String(code)} ${err}`))));
    c.stdin.end(input);
  });
}

interface Serve { readonly base: string; readonly child: ChildProcess; readonly pid: number }

function serve(t: Target): Promise<Serve> {
  const child = spawn(process.execPath, [EXHUNT, 'serve', '--listen', '127.0.0.1:0', '--trust-proxy', '127.0.0.1', '--log-level', 'fatal', ...dbArgs(t)], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.once('exit', (code) => fail(new Error(`serve exited ${String(code)}: ${err}`)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /serving (http:\/\/\S+?)\/? /.exec(out);
      if (m?.[1] === undefined) return;
      child.removeAllListeners('exit');
      ok({ base: m[1], child, pid: child.pid ?? 0 });
    });
  });
}

function stop(s: Serve, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((ok) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) { ok(); return; }
    s.child.once('exit', () => ok());
    s.child.kill(signal);
  });
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] !== undefined ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every 20 ms until stopped; returns the peak. */
function sampler(pid: number): { stop(): number } {
  let peak = rssMb(pid);
  const t = setInterval(() => { peak = Math.max(peak, rssMb(pid)); }, 20);
  return { stop: () => { clearInterval(t); return Math.max(peak, rssMb(pid)); } };
}

interface Answer { readonly status: number; readonly ms: number; readonly body: string; readonly headers: Record<string, string | string[] | undefined> }

/** One HTTP request on its own connection; a reset after the answer's head still counts as that answer. */
function http(base: string, method: string, path: string, body: Buffer | string | null, headers: Record<string, string> = {}): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((ok) => {
    const u = new URL(path, base);
    const data = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method, agent: false,
      headers: { ...(data !== null ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; });
      const done = (): void => ok({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: text, headers: res.headers });
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', (e) => ok({ status: 0, ms: performance.now() - t0, body: e.message, headers: {} }));
    req.end(data ?? undefined);
  });
}

function counts(xs: readonly Answer[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const x of xs) c[String(x.status)] = (c[String(x.status)] ?? 0) + 1;
  return c;
}

interface Fleet { readonly t: Target; readonly s: Serve; readonly cookie: string; readonly csrf: string; readonly agent: string }

async function login(base: string, name: string, password: string, from?: string): Promise<Answer> {
  return http(base, 'POST', '/api/v1/login', JSON.stringify({ name, password }), from !== undefined ? { 'x-forwarded-for': from } : {});
}

/** A fresh server with the admin `admin` (signed in from 192.0.2.10) and one enrolled agent. */
async function fleet(): Promise<Fleet> {
  const t = await newTarget();
  await run(['user', 'add', 'admin', '--role', 'admin', ...dbArgs(t)], `${PASSWORD}\n`);
  const s = await serve(t);
  const r = await login(s.base, 'admin', PASSWORD, '192.0.2.10');
  if (r.status !== 200) throw new Error(`login ${r.status} ${r.body}`);
  const setCookie = r.headers['set-cookie'];
  const cookie = ((Array.isArray(setCookie) ? setCookie[0] : setCookie) ?? '').split(';')[0] ?? '';
  const csrf = (JSON.parse(r.body) as { csrfToken: string }).csrfToken;
  const tok = await http(s.base, 'POST', '/api/v1/enrolment-tokens', JSON.stringify({ uses: 10 }), { cookie, 'x-csrf-token': csrf });
  const token = (JSON.parse(tok.body) as { token: string }).token;
  const en = await http(s.base, 'POST', '/api/v1/agents/enroll', JSON.stringify({ token, hostname: 'exch-bench.example' }), { 'x-forwarded-for': '192.0.2.11' });
  const agent = (JSON.parse(en.body) as { credential: string }).credential;
  return { t, s, cookie, csrf, agent };
}

async function close(f: Fleet): Promise<void> {
  await stop(f.s);
  await dropTarget(f.t);
}

/** A report of about `mb` MB: `findings` findings, padded; invalid ones have a bad severity. */
function bigReport(findings: number, mb: number, invalid: boolean, tag: string): Buffer {
  const r = syntheticReport(1, { findings: 1 });
  const f0 = r.findings[0];
  if (f0 === undefined) throw new Error('no finding');
  const pad = "x".repeat(Math.max(0, Math.floor((mb * MB) / findings) - 520));
  const fs = Array.from({ length: findings }, (_, i) => ({ ...f0, id: `${tag}-${i}`, severity: invalid ? 'nope' : f0.severity,
    evidence: { ...f0.evidence, excerpt: `${f0.evidence.excerpt} ${pad}` } }));
  return Buffer.from(JSON.stringify({ ...r, findings: fs }));
}

async function anon(): Promise<void> {
  const f = await fleet();
  try {
    const body = Buffer.alloc(31 * MB, 0x20);
    for (const n of [10, 40]) {
      await new Promise((r) => setTimeout(r, 1000));
      const base = rssMb(f.s.pid);
      const s = sampler(f.s.pid);
      const t0 = performance.now();
      const answers = await Promise.all(Array.from({ length: n }, () => http(f.s.base, 'POST', '/api/v1/reports', body)));
      const wall = performance.now() - t0;
      const peak = s.stop();
      await new Promise((r) => setTimeout(r, 2000));
      emit({ scenario: 'anon', concurrent: n, mbEach: 31, answers: counts(answers), wallMs: Math.round(wall), rssBeforeMb: Math.round(base),
        rssPeakMb: Math.round(peak), growthMb: Math.round(peak - base), rssAfter2sMb: Math.round(rssMb(f.s.pid)) });
    }
  } finally {
    await close(f);
  }
}

/** Asks /healthz every 100 ms until stopped; the slowest answer and how many took over 1 s. */
function prober(base: string): { stop(): Promise<{ probes: number; maxMs: number; over1s: number }> } {
  let going = true;
  const times: number[] = [];
  const loop = (async () => {
    while (going) {
      const a = await http(base, 'GET', '/healthz', null);
      times.push(a.status === 200 ? a.ms : Number.POSITIVE_INFINITY);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { stop: async () => { going = false; await loop; return { probes: times.length, maxMs: Math.round(Math.max(...times)), over1s: times.filter((x) => x > 1000).length }; } };
}

async function invalid(): Promise<void> {
  const f = await fleet();
  try {
    const auth = { authorization: `Bearer ${f.agent}` };
    for (const [kind, rounds] of [['invalid', 2], ['valid', 1]] as const) {
      for (let round = 0; round < rounds; round++) {
        const bodies = Array.from({ length: 4 }, (_, i) => bigReport(60_000, 29, kind === 'invalid', `${kind}${round}-${i}`));
        const p = prober(f.s.base);
        const base = rssMb(f.s.pid);
        const s = sampler(f.s.pid);
        const t0 = performance.now();
        const answers = await Promise.all(bodies.map((b) => http(f.s.base, 'POST', '/api/v1/reports', b, auth)));
        const wall = performance.now() - t0;
        const peak = s.stop();
        const h = await p.stop();
        emit({ scenario: 'uploads', kind, round, concurrent: 4, mbEach: +(bodies[0]!.length / MB).toFixed(1), findingsEach: 60_000, answers: counts(answers),
          detailsInFirst: answers[0]?.status === 400 ? (JSON.parse(answers[0].body) as { details?: unknown[] }).details?.length ?? 0 : null,
          wallMs: Math.round(wall), healthz: h, rssBeforeMb: Math.round(base), rssPeakMb: Math.round(peak) });
      }
    }
  } finally {
    await close(f);
  }
}

async function logins(): Promise<void> {
  const f = await fleet();
  try {
    await run(['user', 'add', 'burst', '--role', 'analyst', ...dbArgs(f.t)], `${PASSWORD}\n`);
    const passwords = Array.from({ length: 1000 }, (_, i) => `wrong-${i}`);
    passwords.splice(500, 0, PASSWORD);
    let t0 = performance.now();
    const burst = await Promise.all(passwords.map((p) => login(f.s.base, 'burst', p, '198.51.100.1')));
    emit({ scenario: 'login-burst-one-address', attempts: 1001, answers: counts(burst), wallMs: Math.round(performance.now() - t0) });

    const quiet = await login(f.s.base, 'admin', PASSWORD, '192.0.2.10');
    t0 = performance.now();
    const spray = await Promise.all(Array.from({ length: 300 }, (_, i) => login(f.s.base, 'admin', `guess-${i}`, `203.0.${i >> 8}.${i & 255}`)));
    const sprayMs = performance.now() - t0;
    const own = await login(f.s.base, 'admin', PASSWORD, '192.0.2.10');
    const elsewhere = await login(f.s.base, 'admin', PASSWORD, '198.18.0.1');
    emit({ scenario: 'login-spray-admin', attempts: 300, answers: counts(spray), wallMs: Math.round(sprayMs), adminLoginBeforeMs: Math.round(quiet.ms),
      adminOwnAddressAfter: { status: own.status, ms: Math.round(own.ms) }, adminNewAddressAfter: { status: elsewhere.status, ms: Math.round(elsewhere.ms) } });

    // Two serve processes on one database: a burst on one name from 200 addresses, split over both.
    const second = await serve(f.t);
    try {
      await run(['user', 'add', 'split', '--role', 'viewer', ...dbArgs(f.t)], `${PASSWORD}\n`);
      t0 = performance.now();
      const split = await Promise.all(Array.from({ length: 200 }, (_, i) => login(i % 2 === 0 ? f.s.base : second.base, 'split', `w-${i}`, `100.64.${i}.1`)));
      emit({ scenario: 'login-burst-two-processes', attempts: 200, answers: counts(split), wallMs: Math.round(performance.now() - t0) });
    } finally {
      await stop(second);
    }
  } finally {
    await close(f);
  }
}

/** Every stored report with the number of findings it says it has and the number stored for it. */
async function storedReports(t: Target): Promise<{ id: string; sha256: string; findings: number; stored: number }[]> {
  const q = 'select r.id, r.sha256, r.findings, (select count(*) from findings f where f.last_report_id = r.id) as stored from reports r';
  if (t.url === undefined) {
    const db = new Database(join(t.dataDir, 'fleet.sqlite'), { readonly: true });
    try {
      return (db.prepare(q).all() as { id: string; sha256: string; findings: number; stored: number }[]);
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  try {
    return (await c.query<{ id: string; sha256: string; findings: number; stored: string }>(q)).rows.map((r) => ({ ...r, findings: Number(r.findings), stored: Number(r.stored) }));
  } finally {
    await c.end();
  }
}

async function kill(): Promise<void> {
  for (let trial = 0; trial < TRIALS; trial++) {
    const f = await fleet();
    let s = f.s;
    try {
      const auth = { authorization: `Bearer ${f.agent}` };
      const bodies = Array.from({ length: 4 }, (_, i) => bigReport(10_000, 6, false, `k${trial}-${i}`));
      const delay = 200 + Math.round(Math.random() * 2500);
      const inFlight = Promise.all(bodies.map((b) => http(s.base, 'POST', '/api/v1/reports', b, auth)));
      await new Promise((r) => setTimeout(r, delay));
      await stop(s, 'SIGKILL');
      const first = await inFlight;
      const afterKill = await storedReports(f.t);
      s = await serve(f.t);
      const again = await Promise.all(bodies.map((b) => http(s.base, 'POST', '/api/v1/reports', b, auth)));
      const final = await storedReports(f.t);
      const partial = [...afterKill, ...final].filter((r) => r.stored !== r.findings).length;
      emit({ scenario: 'kill-9-mid-upload', trial, killAfterMs: delay, answersBeforeKill: counts(first), storedAfterKill: afterKill.length,
        resent: counts(again), storedFinal: final.length, distinctFinal: new Set(final.map((r) => r.sha256)).size, partialReports: partial,
        ok: partial === 0 && final.length === 4 && new Set(final.map((r) => r.sha256)).size === 4 });
    } finally {
      await stop(s);
      await dropTarget(f.t);
    }
  }
}

process.stderr.write(`hostile bench: ${EXHUNT} on ${DB}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
if (ONLY.has('anon')) await anon();
if (ONLY.has('invalid')) await invalid();
if (ONLY.has('login')) await logins();
if (ONLY.has('kill')) await kill();
process.stderr.write(`done; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
