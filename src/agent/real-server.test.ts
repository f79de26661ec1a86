/**
 * The agent and `report upload` against the real fleet server (buildApp on an SQLite store in a
 * temp folder, listening on 127.0.0.1): enrol, run, dedupe, refusals, upload with --user,
 * fingerprint results.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { sampleReport } from '../../test/fixtures/agent/reports.js';
import type { Report } from '../findings/types.js';
import { buildApp } from '../server/app.js';
import { openStore } from '../server/store/open.js';
import type { FleetStore } from '../server/store/types.js';
import { runAgent, runEnroll, type AgentIo } from '../cli/agent.js';
import { runReportUpload } from '../cli/report.js';
import { listSpool, rejectedDir } from './spool.js';
import { evaluatePosture } from '../engines/posture/evaluate.js';
import { fingerprintReport } from '../fingerprint/run.js';
import type { TargetReport } from '../fingerprint/types.js';
import { uploadTargets } from './fingerprint-upload.js';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-agent-real-'));
const home = join(dir, 'home');
const SYSTEM = { kind: 'system', id: null, name: 'test' } as const;
let store: FleetStore;
let app: FastifyInstance;
let url = '';

before(async () => {
  store = await openStore({ dataDir: join(dir, 'server') });
  app = await buildApp({ store, maxUploadBytes: 128 * 1024, secureCookies: false, sessionTtlSeconds: 3600, loginLimit: { max: 5, windowSeconds: 900 }, trustProxy: false, asOf: () => '2026-11-27' }, { dashboard: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await store.addUser('ana', 'analyst', 'correct horse battery staple', SYSTEM);
});
after(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function io(): AgentIo & { err: (s: string) => void; log: string[] } {
  const log: string[] = [];
  return { out: (s) => { log.push(s); }, err: (s) => { log.push(s); }, env: { EXHUNT_HOME: home }, log };
}

const once = (scan: () => Report, x = io()): Promise<number> =>
  runAgent('/unused', { once: true, maxScanSize: '20', failOn: 'medium', timeout: '10' }, x, () => Promise.resolve(scan()));

test('enrol with a token an admin made, then runs: stored once, a retried body is a duplicate, refusals set aside', async () => {
  const { token } = await store.createEnrolmentToken(SYSTEM, { ttlSeconds: 3600, uses: 1 });
  assert.equal(await runEnroll({ server: url, token, hostname: 'EX01', timeout: '10' }, io()), 0);
  const x = io();
  assert.match(String(await runEnroll({ server: url, token, hostname: 'EX02', timeout: '10' }, x).catch((e: unknown) => (e as Error).message)), /refused the enrolment token/);

  const fixed = sampleReport(1, { hostname: null, findings: 1 });
  assert.equal(await once(() => fixed), 1);
  const first = await store.server('EX01');
  assert.equal(first?.reports, 1);
  const y = io();
  await once(() => fixed, y); // same bytes again (the server dedupes by the body's hash)
  assert.ok(y.log.some((l) => /already stored as report/.test(l)), y.log.join(''));
  assert.equal((await store.server('EX01'))?.reports, 1);

  await once(() => ({ ...sampleReport(2), schemaVersion: 2 }) as unknown as Report);
  await once(() => sampleReport(3, { findings: 600 })); // over the 128 KiB limit
  const spool = join(home, 'agent', 'spool');
  assert.deepEqual(await listSpool(spool), []);
  const notes = readdirSync(rejectedDir(spool)).filter((n) => n.endsWith('.error.json'));
  const statuses = notes.map((n) => (JSON.parse(readFileSync(join(rejectedDir(spool), n), 'utf8')) as { status: number }).status);
  assert.deepEqual(statuses.sort(), [400, 413]);
  assert.equal((await store.server('EX01'))?.reports, 1);
});

test('report upload --user: password on stdin → API token → stored under --host', async () => {
  const file = join(dir, 'r.json');
  writeFileSync(file, JSON.stringify(sampleReport(4, { hostname: null })));
  let out = '';
  const code = await runReportUpload([file], { server: url, user: 'ana', host: 'EX09', timeout: '10' }, {
    out: (s) => { out += s; }, err: () => undefined, stdin: Readable.from(['correct horse battery staple\n']), env: {},
  });
  assert.equal(code, 0, out);
  assert.match(out, /r\.json: stored as report \S+/);
  assert.equal((await store.server('EX09'))?.lastSource, 'upload');
});

test('fingerprint results: one remote report per Exchange target, shown with its build', async () => {
  const ana = await store.verifyPassword('ana', 'correct horse battery staple');
  assert.ok(ana !== null);
  const { token } = await store.createApiToken(ana.id, 'fp', { kind: 'user', id: ana.id, name: 'ana' });
  const r = evaluatePosture('15.2.1748.46', { asOf: '2026-11-27', source: 'remote' });
  const target: TargetReport = {
    target: 'mail.example', url: 'https://mail.example/owa/', reachable: true, error: null, build: '15.2.1748.46',
    buildMethod: 'ecp-manifest', partial: false, tls: null, seen: {}, posture: { ...r.posture, buildMethod: 'ecp-manifest' }, findings: r.findings,
  };
  const run = fingerprintReport([target], '2026-11-27', 1);
  const lines: string[] = [];
  const done = await uploadTargets(run, [target], { server: new URL(`${url}/`), token, client: { insecure: false, timeoutMs: 10_000, proxy: null, userAgent: 't' }, retries: 0, backoffMs: 0 }, (l) => lines.push(l));
  assert.equal(done[0]?.result?.kind, 'stored', lines.join('\n'));
  const s = await store.server('mail.example');
  assert.equal(s?.build, '15.2.1748.46');
  assert.equal(s?.lastSource, 'fingerprint');
});
