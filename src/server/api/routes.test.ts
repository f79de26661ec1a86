/**
 * Every API route, every kind of caller: anonymous is refused (401 JSON) unless the route is
 * public, each role below the route's minimum is refused (403) through a session and through
 * an API token, agents are refused where they have no business, the allowed roles succeed, and
 * every successful change of state leaves an audit entry. Runs on SQLite and on PostgreSQL
 * (when EXHUNT_TEST_PG is set; skipped with a message otherwise).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { syntheticReport } from '../store/seed.js';
import { PG_SKIP_MESSAGE, type TestBackend } from '../store/test-db.js';
import type { Role } from '../store/types.js';
import { createHarness, type Harness, type Who } from '../http/testing/harness.js';

interface Ids { serverId: string; reportId: string; findingId: string; spareAgentId: string }

interface RouteCase {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: (ids: Ids) => string;
  /** Least role allowed; `agent` adds agents to the analyst/admin set. */
  readonly min: Role;
  readonly agent: boolean;
  readonly ok: number;
  readonly changes: boolean;
  readonly body?: (n: number, ids: Ids) => unknown;
}

const BELOW: Readonly<Record<Role, readonly Role[]>> = { admin: ['analyst', 'viewer'], analyst: ['viewer'], viewer: [] };
const AT_OR_ABOVE: Readonly<Record<Role, readonly Role[]>> = { admin: ['admin'], analyst: ['analyst', 'admin'], viewer: ['viewer', 'analyst', 'admin'] };

function reportBody(n: number): string {
  return JSON.stringify(syntheticReport(100 + n, { findings: 2, round: n }));
}

const GUARDED: readonly RouteCase[] = [
  { method: 'GET', url: () => '/api/v1/me', min: 'viewer', agent: true, ok: 200, changes: false },
  { method: 'POST', url: () => '/api/v1/enrolment-tokens', min: 'admin', agent: false, ok: 201, changes: true, body: () => ({ ttlHours: 1, uses: 1 }) },
  { method: 'GET', url: () => '/api/v1/agents', min: 'admin', agent: false, ok: 200, changes: false },
  { method: 'POST', url: (i) => `/api/v1/agents/${i.spareAgentId}/revoke`, min: 'admin', agent: false, ok: 204, changes: true },
  { method: 'POST', url: () => '/api/v1/reports', min: 'analyst', agent: true, ok: 201, changes: true, body: (n) => reportBody(n) },
  { method: 'GET', url: () => '/api/v1/servers', min: 'viewer', agent: false, ok: 200, changes: false },
  { method: 'GET', url: (i) => `/api/v1/servers/${i.serverId}`, min: 'viewer', agent: false, ok: 200, changes: false },
  { method: 'GET', url: (i) => `/api/v1/servers/${i.serverId}/reports`, min: 'viewer', agent: false, ok: 200, changes: false },
  { method: 'GET', url: (i) => `/api/v1/reports/${i.reportId}`, min: 'viewer', agent: false, ok: 200, changes: false },
  { method: 'GET', url: () => '/api/v1/findings', min: 'viewer', agent: false, ok: 200, changes: false },
  { method: 'GET', url: (i) => `/api/v1/findings/${i.findingId}`, min: 'viewer', agent: false, ok: 200, changes: false },
  { method: 'PATCH', url: () => '/api/v1/findings', min: 'analyst', agent: false, ok: 200, changes: true,
    body: (n, i) => ({ ids: [i.findingId], status: n % 2 === 0 ? 'confirmed' : 'new', comment: `checked ${n}` }) },
  { method: 'GET', url: () => '/api/v1/directives', min: 'viewer', agent: false, ok: 200, changes: false },
  { method: 'GET', url: () => '/api/v1/compliance?directive=ED-21-02-SDv2', min: 'viewer', agent: false, ok: 200, changes: false },
  { method: 'GET', url: () => '/api/v1/audit', min: 'analyst', agent: false, ok: 200, changes: false },
  { method: 'GET', url: () => '/api/v1/users', min: 'admin', agent: false, ok: 200, changes: false },
  { method: 'POST', url: () => '/api/v1/users', min: 'admin', agent: false, ok: 201, changes: true,
    body: (n) => ({ name: `person${n}`, role: 'viewer', password: 'a long enough password' }) },
];

async function seed(h: Harness): Promise<Ids> {
  const up = await h.as('analyst-token', { method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: reportBody(0) });
  assert.equal(up.statusCode, 201, up.body);
  const { reportId, serverId } = JSON.parse(up.body) as { reportId: string; serverId: string };
  const findings = await h.as('viewer-token', { method: 'GET', url: `/api/v1/findings?serverId=${serverId}` });
  const findingId = (JSON.parse(findings.body) as { items: { id: string }[] }).items[0]?.id ?? '';
  const enrol = await h.store.createEnrolmentToken({ kind: 'system', id: null, name: 'test' }, { ttlSeconds: 600, uses: 1 });
  const spare = await h.store.enrollAgent(enrol.token, 'spare.example');
  return { serverId, reportId, findingId, spareAgentId: spare?.agent.id ?? '' };
}

async function auditTotal(h: Harness): Promise<number> {
  return (await h.store.listAudit({ limit: 1, offset: 0 })).total;
}

async function checkRoute(h: Harness, ids: Ids, r: RouteCase, counter: { n: number }): Promise<void> {
  const send = (who: Who) => {
    const n = ++counter.n;
    const body = r.body?.(n, ids);
    return h.as(who, { method: r.method, url: r.url(ids), ...(body !== undefined ? { payload: body as string, headers: { 'content-type': 'application/json' } } : {}) });
  };
  const anon = await send('anonymous');
  assert.equal(anon.statusCode, 401, `anonymous ${r.method} ${r.url(ids)}`);
  assert.match(String(anon.headers['content-type']), /application\/json/);
  assert.equal(typeof (JSON.parse(anon.body) as { error: unknown }).error, 'string');
  for (const role of BELOW[r.min]) {
    for (const via of ['session', 'token'] as const) {
      const res = await send(`${role}-${via}`);
      assert.equal(res.statusCode, 403, `${role} ${via} ${r.method} ${r.url(ids)}: ${res.body}`);
    }
  }
  const agent = await send('agent');
  assert.equal(agent.statusCode, r.agent ? r.ok : 403, `agent ${r.method} ${r.url(ids)}: ${agent.body}`);
  for (const role of AT_OR_ABOVE[r.min]) {
    for (const via of ['session', 'token'] as const) {
      if (r.ok === 204 && (role !== 'admin' || via !== 'session')) continue; // revoking twice is a 204 too, but once per case suffices
      const before = r.changes ? await auditTotal(h) : 0;
      const res = await send(`${role}-${via}`);
      assert.equal(res.statusCode, r.ok, `${role} ${via} ${r.method} ${r.url(ids)}: ${res.body}`);
      if (r.changes) assert.ok(await auditTotal(h) > before, `audit entry after ${r.method} ${r.url(ids)}`);
    }
  }
}

async function suite(t: TestContext, backend: TestBackend): Promise<void> {
  const h = await createHarness(backend);
  if (h === null) {
    t.skip(PG_SKIP_MESSAGE);
    return;
  }
  try {
    const ids = await seed(h);
    const counter = { n: 0 };
    for (const r of GUARDED) {
      await t.test(`${r.method} ${r.url(ids).replace(/[0-9a-f-]{36}/g, ':id')} (${r.min}${r.agent ? ' or agent' : ''})`, () => checkRoute(h, ids, r, counter));
    }
    await t.test('public routes answer anyone', async () => {
      for (const url of ['/healthz', '/api/v1/openapi.json']) assert.equal((await h.as('anonymous', { method: 'GET', url })).statusCode, 200);
    });
    await t.test('logout needs a browser session; ends it; audited', async () => {
      assert.equal((await h.as('anonymous', { method: 'POST', url: '/api/v1/logout' })).statusCode, 401);
      assert.equal((await h.as('admin-token', { method: 'POST', url: '/api/v1/logout' })).statusCode, 403);
      assert.equal((await h.as('agent', { method: 'POST', url: '/api/v1/logout' })).statusCode, 403);
      const before = await auditTotal(h);
      assert.equal((await h.as('viewer-session', { method: 'POST', url: '/api/v1/logout' })).statusCode, 204);
      assert.ok(await auditTotal(h) > before);
      assert.equal((await h.as('viewer-session', { method: 'GET', url: '/api/v1/me' })).statusCode, 401);
    });
    await t.test('tokens: viewers refused, wrong password 401, analysts get one; audited', async () => {
      const post = (name: string, password: string) => h.as('anonymous', { method: 'POST', url: '/api/v1/tokens', payload: { name, password, label: 'ci' } });
      assert.equal((await post('viewer', 'correct horse battery staple')).statusCode, 403);
      assert.equal((await post('analyst', 'not the password')).statusCode, 401);
      const before = await auditTotal(h);
      const ok = await post('analyst', 'correct horse battery staple');
      assert.equal(ok.statusCode, 201);
      assert.match((JSON.parse(ok.body) as { token: string }).token, /^exu_/);
      assert.ok(await auditTotal(h) > before);
    });
    await t.test('enroll: a bad token is 403, a good one 201 once; audited', async () => {
      const enroll = (token: string) => h.as('anonymous', { method: 'POST', url: '/api/v1/agents/enroll', payload: { token, hostname: 'new-agent.example' } });
      assert.equal((await enroll('exe_wrong')).statusCode, 403);
      const tok = await h.as('admin-session', { method: 'POST', url: '/api/v1/enrolment-tokens', payload: {} });
      const { token } = JSON.parse(tok.body) as { token: string };
      const before = await auditTotal(h);
      const ok = await enroll(token);
      assert.equal(ok.statusCode, 201, ok.body);
      const got = JSON.parse(ok.body) as { credential: string; serverName: string };
      assert.match(got.credential, /^exa_/);
      assert.equal(got.serverName, 'new-agent.example');
      assert.ok(await auditTotal(h) > before);
      assert.equal((await enroll(token)).statusCode, 403, 'a one-use token is used up');
    });
    await t.test('a revoked agent is refused', async () => {
      const tok = await h.store.createEnrolmentToken({ kind: 'system', id: null, name: 'test' }, { ttlSeconds: 600, uses: 1 });
      const a = await h.store.enrollAgent(tok.token, 'doomed.example');
      assert.ok(a !== null);
      const me = () => h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${a.credential}` } });
      assert.equal((await me()).statusCode, 200);
      assert.equal((await h.as('admin-token', { method: 'POST', url: `/api/v1/agents/${a.agent.id}/revoke` })).statusCode, 204);
      assert.equal((await me()).statusCode, 401);
    });
    await t.test('users: a duplicate name is 409', async () => {
      const add = () => h.as('admin-token', { method: 'POST', url: '/api/v1/users', payload: { name: 'dupe', role: 'viewer', password: 'a long enough password' } });
      assert.equal((await add()).statusCode, 201);
      assert.equal((await add()).statusCode, 409);
    });
  } finally {
    await h.close();
  }
}

test('API routes on SQLite', (t) => suite(t, 'sqlite'));
test('API routes on PostgreSQL', (t) => suite(t, 'postgres'));
