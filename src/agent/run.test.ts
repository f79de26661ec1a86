/** Agent runs against the fake fleet server: spool, send, failures kept, refusals set aside, the loop's backoff. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleReport } from '../../test/fixtures/agent/reports.js';
import type { Report } from '../findings/types.js';
import type { AgentCredential } from './credential.js';
import type { ClientOptions } from './http-client.js';
import { runLoop, runOnce, type AgentRunDeps } from './run.js';
import { listSpool, rejectedDir } from './spool.js';
import { startFakeFleet, type FakeFleet } from './testing/fake-fleet.js';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const CLIENT: ClientOptions = { insecure: false, timeoutMs: 3000, proxy: null, userAgent: 'exhunt-test' };

interface Rig {
  readonly deps: AgentRunDeps;
  readonly spool: string;
  readonly log: string[];
  readonly fleet: FakeFleet;
  /** Advances the fake clock. */
  tick(ms: number): void;
}

async function rig(opts: { maxBytes?: number; down?: boolean } = {}): Promise<Rig> {
  const fleet = await startFakeFleet({ maxBytes: opts.maxBytes ?? 1024 * 1024 });
  const home = mkdtempSync(join(tmpdir(), 'exhunt-agent-run-'));
  dirs.push(home);
  const credential: AgentCredential = { server: `${fleet.url}/`, agentId: 'a1', credential: 'exa_test', hostname: 'EX01' };
  fleet.agents.set('exa_test', 'EX01');
  let t = Date.parse('2026-11-27T10:00:00.000Z');
  let n = 0;
  const log: string[] = [];
  const deps: AgentRunDeps = {
    spool: join(home, 'agent', 'spool'),
    credential,
    client: CLIENT,
    scan: () => Promise.resolve(sampleReport(++n, { hostname: null, findings: n % 2 })),
    failOn: 'medium',
    log: (l) => log.push(l),
    now: () => new Date(t),
  };
  return { deps, spool: deps.spool, log, fleet, tick: (ms) => { t += ms; } };
}

/** The same agent pointed at a port where nothing listens (the server is down). */
function down(deps: AgentRunDeps): AgentRunDeps {
  return { ...deps, credential: { ...deps.credential, server: 'http://127.0.0.1:9/' } };
}

test('a run spools the report, sends it and empties the spool; the host name is filled in', async () => {
  const r = await rig();
  const res = await runOnce(r.deps);
  assert.equal(res.code, 1); // sample 1 has one high finding
  assert.equal(res.send.sent, 1);
  assert.equal(res.send.stopped, null);
  assert.deepEqual(await listSpool(r.spool), []);
  assert.equal(r.fleet.stored.length, 1);
  const q = r.fleet.requests[0];
  assert.equal(q?.authorization, 'Bearer exa_test');
  assert.equal(q?.idempotencyKey, q?.sha256);
  const sent = JSON.parse(r.fleet.stored[0]?.body.toString('utf8') ?? '{}') as Report;
  assert.equal(sent.target.hostname, 'EX01');
  assert.equal(statSync(r.spool).mode & 0o777, 0o700);
  await r.fleet.close();
});

test('server down: reports stay spooled, then go oldest first, each stored once', async () => {
  const r = await rig();
  const off = down(r.deps);
  for (let i = 0; i < 3; i++) {
    const res = await runOnce(off);
    assert.equal(res.code, i % 2 === 0 ? 1 : 0); // the scan's code, whatever the upload did
    assert.match(res.send.stopped ?? '', /connection refused/);
    r.tick(60_000);
  }
  const waiting = await listSpool(r.spool);
  assert.equal(waiting.length, 3);
  assert.ok(waiting.every((e) => (statSync(e.path).mode & 0o777) === 0o600));
  const order = waiting.map((e) => readFileSync(e.path));
  const res = await runOnce(r.deps); // the fourth scan, then the whole spool
  assert.equal(res.send.sent, 4);
  assert.deepEqual(await listSpool(r.spool), []);
  assert.deepEqual(r.fleet.stored.slice(0, 3).map((s) => s.body), order);
  assert.deepEqual((JSON.parse(r.fleet.stored[3]?.body.toString() ?? '{}') as Report).stats.files, 4);
  assert.ok([...r.fleet.created.values()].every((c) => c === 1));
  await r.fleet.close();
});

test('a dropped connection and a 500 keep the report; the retry carries the same Idempotency-Key; nothing duplicated', async () => {
  const r = await rig();
  r.fleet.script('drop');
  const first = await runOnce(r.deps);
  assert.match(first.send.stopped ?? '', /upload failed/);
  r.fleet.script(500);
  r.tick(1000);
  const second = await runOnce(r.deps);
  assert.equal(second.send.remaining, 2);
  assert.match(second.send.stopped ?? '', /HTTP 500/);
  r.tick(1000);
  const third = await runOnce(r.deps);
  assert.equal(third.send.sent, 3);
  const keys = r.fleet.requests.map((q) => q.idempotencyKey);
  assert.equal(keys[0], keys[1]); // the first report, dropped then 500
  assert.equal(keys[1], keys[2]); // … then stored
  assert.deepEqual(r.fleet.requests.map((q) => q.status), ['dropped', 500, 201, 201, 201]);
  assert.equal(r.fleet.stored.length, 3);
  await r.fleet.close();
});

test('the server already has it (200 duplicate): deleted from the spool, not stored twice', async () => {
  const r = await rig();
  const fixed = sampleReport(7);
  const deps = { ...r.deps, scan: () => Promise.resolve(fixed) };
  await runOnce(deps);
  r.tick(1000);
  const again = await runOnce(deps);
  assert.equal(again.send.duplicates, 1);
  assert.equal(r.fleet.stored.length, 1);
  assert.deepEqual(await listSpool(r.spool), []);
  await r.fleet.close();
});

test('400 and 413 move the report to rejected/ with the server\'s error beside it; the next one still goes', async () => {
  const r = await rig({ maxBytes: 2000 });
  const bad = { ...r.deps, scan: () => Promise.resolve({ ...sampleReport(1), schemaVersion: 2 } as unknown as Report) };
  const big = { ...r.deps, scan: () => Promise.resolve(sampleReport(2, { findings: 10 })) };
  assert.equal((await runOnce(bad)).send.rejected, 1);
  r.tick(1000);
  assert.equal((await runOnce(big)).send.rejected, 1);
  r.tick(1000);
  assert.equal((await runOnce(r.deps)).send.sent, 1);
  const rejected = readdirSync(rejectedDir(r.spool)).sort();
  assert.equal(rejected.length, 4);
  const notes = rejected.filter((n) => n.endsWith('.error.json')).map((n) => JSON.parse(readFileSync(join(rejectedDir(r.spool), n), 'utf8')) as { status: number; error: string });
  assert.deepEqual(notes.map((x) => x.status), [400, 413]);
  assert.match(notes[0]?.error ?? '', /HTTP 400 not a valid report: \/schemaVersion/);
  assert.ok(r.log.some((l) => /^refused .*HTTP 413/.test(l)));
  assert.deepEqual(await listSpool(r.spool), []);
  await r.fleet.close();
});

test('429 and 401 keep the report spooled (429 passes Retry-After on; 401 says enrol again)', async () => {
  const r = await rig();
  r.fleet.script(429);
  const a = await runOnce(r.deps);
  assert.equal(a.send.retryAfterMs, 1000);
  r.fleet.agents.delete('exa_test'); // revoked
  r.tick(1000);
  const b = await runOnce(r.deps);
  assert.equal(b.send.unauthorized, true);
  assert.match(b.send.stopped ?? '', /enrol again/);
  assert.equal((await listSpool(r.spool)).length, 2);
  assert.equal(existsSync(rejectedDir(r.spool)), false);
  await r.fleet.close();
});

test('the loop sends before each scan, retries a failed round with backoff, and waits the interval', async () => {
  const r = await rig();
  const stop = new AbortController();
  const sleeps: number[] = [];
  let scans = 0;
  const deps = {
    ...r.deps,
    scan: async () => {
      if (++scans === 3) stop.abort();
      return r.deps.scan();
    },
    intervalMs: 6 * 3_600_000,
    signal: stop.signal,
    sleep: (ms: number) => { sleeps.push(ms); r.tick(ms); return Promise.resolve(); },
  };
  r.fleet.script(500, 500);
  await runLoop(deps);
  // round 1: send (empty), scan, send → 500; backoff 30 s → 500; 60 s → stored; wait the rest of 6 h.
  assert.deepEqual(sleeps.slice(0, 2), [30_000, 60_000]);
  assert.equal(sleeps[2], 6 * 3_600_000 - 90_000);
  assert.equal(scans, 3);
  assert.equal(r.fleet.stored.length, 2); // the third scan aborted the loop before its send
  assert.equal((await listSpool(r.spool)).length, 1);
  assert.ok(r.log.some((l) => l === 'next send attempt in 30s'));
  await r.fleet.close();
});
