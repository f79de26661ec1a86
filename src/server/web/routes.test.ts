/**
 * The dashboard routes in the real app (auth, CSRF and security-header hooks) on SQLite, and on
 * PostgreSQL when EXHUNT_TEST_PG is set: guards, login/logout, CSRF on forms, triage, admin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { hostileReport } from '../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../test/fixtures/server-web/inert.js';
import { buildApp } from '../app.js';
import { serverOptions } from '../http/testing/harness.js';
import { createTestDatabase, PG_SKIP_MESSAGE, type TestBackend } from '../store/test-db.js';
import type { FleetStore } from '../store/types.js';

const SYSTEM = { kind: 'system', id: null, name: 'test' } as const;
const disposers: (() => Promise<void>)[] = [];

async function openBackend(backend: TestBackend): Promise<FleetStore | null> {
  const db = await createTestDatabase(backend);
  if (db === null) return null;
  const s = await db.open();
  disposers.push(async () => { await s.close(); await db.dispose(); });
  return s;
}
after(async () => { for (const d of disposers) await d(); });
const PW = 'correct horse battery';
for (const backend of ['sqlite', 'postgres'] as const) describe(`dashboard routes (${backend})`, () => {
let app: FastifyInstance;
let store: FleetStore;

let skip = false;

before(async () => {
  const opened = await openBackend(backend);
  if (opened === null) {
    skip = true;
    return;
  }
  store = opened;
  app = await buildApp(serverOptions(store));
  for (const [name, role] of [['ann', 'analyst'], ['vic', 'viewer'], ['root', 'admin']] as const) await store.addUser(name, role, PW, SYSTEM);
  const r = hostileReport('EX01');
  await store.ingestReport({ serverName: 'EX01', report: r, sha256: 'a'.repeat(64), bytes: 100, source: 'agent', actor: SYSTEM });
});
after(async () => { if (!skip) await app.close(); });

/** A test that is skipped (saying why) when the backend is not available. */
function test_(name: string, fn: () => Promise<void>): void {
  test(name, async (t) => {
    if (skip) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    await fn();
  });
}

const form = (o: Record<string, string | string[]>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
};
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function login(name: string, next = '/'): Promise<{ cookie: string; csrf: string; res: LightMyRequestResponse }> {
  const res = await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ name, password: PW, next }) });
  const c = res.cookies.find((x) => x.name === 'exhunt_session');
  assert.ok(c, 'session cookie set');
  const session = await store.sessionByToken(c.value);
  return { cookie: `exhunt_session=${c.value}`, csrf: session?.csrfToken ?? '', res };
}

test_('anonymous page requests go to the login page; static assets are public', async () => {
  const r = await app.inject('/findings?status=new');
  assert.equal(r.statusCode, 302);
  assert.equal(r.headers.location, '/login?next=%2Ffindings%3Fstatus%3Dnew');
  const l = await app.inject('/login?next=%2Ffindings');
  assert.equal(l.statusCode, 200);
  assert.match(String(l.headers['content-security-policy']), /script-src 'self'/);
  assert.ok(l.body.includes('name="next" value="/findings"'));
  const css = await app.inject('/static/app.css');
  assert.match(String(css.headers['content-type']), /^text\/css/);
  const js = await app.inject('/static/app.js');
  assert.match(String(js.headers['content-type']), /^text\/javascript/);
  assert.match(String(js.headers['cache-control']), /max-age/);
});

test_('login: wrong password 401 page, right one redirects to a local next only', async () => {
  const bad = await app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ name: 'vic', password: 'nope', next: '/' }) });
  assert.equal(bad.statusCode, 401);
  assert.ok(bad.body.includes('Wrong name or password.'));
  assert.equal((await login('vic', '/findings')).res.headers.location, '/findings');
  assert.equal((await login('vic', '//evil.example/')).res.headers.location, '/');
  assert.equal((await login('vic', 'https://evil.example/')).res.headers.location, '/');
  assert.equal((await login('vic', '/\\evil.example')).res.headers.location, '/');
});

test_('login from another site (Origin) is refused; same origin passes', async () => {
  const cross = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, origin: 'https://evil.example' }, payload: form({ name: 'vic', password: PW }) });
  assert.equal(cross.statusCode, 403);
  assert.equal(cross.cookies.length, 0);
  const site = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, origin: 'null', 'sec-fetch-site': 'cross-site' }, payload: form({ name: 'vic', password: PW }) });
  assert.equal(site.statusCode, 403);
  const own = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, origin: 'null', 'sec-fetch-site': 'same-origin' }, payload: form({ name: 'vic', password: PW }) });
  assert.equal(own.statusCode, 303, 'our own no-referrer pages send Origin: null');
  const same = await app.inject({ method: 'POST', url: '/login', headers: { ...FORM, origin: 'http://localhost:80', host: 'localhost:80' }, payload: form({ name: 'vic', password: PW }) });
  assert.equal(same.statusCode, 303);
});

test_('login is rate-limited with 429 and Retry-After', async () => {
  await store.addUser('rl', 'viewer', PW, SYSTEM);
  let last: LightMyRequestResponse | undefined;
  for (let i = 0; i < 6; i++) last = await app.inject({ method: 'POST', url: '/login', headers: FORM, remoteAddress: '10.9.9.9', payload: form({ name: 'rl', password: 'x' }) });
  assert.equal(last?.statusCode, 429);
  const wait = Number(last?.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 900, 'Retry-After counts from the oldest failure, at most the window');
  assert.ok(last?.body.includes('Too many failed logins'));
});

test_('every page renders for a signed-in admin, inert, under the CSP', async () => {
  const { cookie } = await login('root');
  const servers = await store.listServers({ limit: 1, offset: 0 });
  const findings = await store.listFindings({ limit: 1, offset: 0 });
  const sid = servers.items[0]?.id ?? '';
  const fid = findings.items[0]?.id ?? '';
  for (const url of ['/', '/?sort=openCves&desc=1&search=EX&exposed=1&minSeverity=high', `/servers/${sid}`, '/findings', `/findings/${fid}`, '/compliance', '/compliance?directive=ED-25-02', '/audit', '/admin']) {
    const r = await app.inject({ url, headers: { cookie } });
    assert.equal(r.statusCode, 200, url);
    assert.match(String(r.headers['content-type']), /^text\/html/, url);
    assertInert(r.body);
  }
  const missing = await app.inject({ url: '/servers/nope', headers: { cookie } });
  assert.equal(missing.statusCode, 404);
});

test_('findings pages: next by cursor; a forged cursor or a deep offset is a 400 page, not a 500', async () => {
  const { cookie } = await login('root');
  const first = await app.inject({ url: '/findings?limit=1', headers: { cookie } });
  assert.equal(first.statusCode, 200);
  const next = /href="(\/findings\?limit=1&amp;after=[A-Za-z0-9_-]+)">next ›/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(next, 'next link carries a cursor');
  const second = await app.inject({ url: next, headers: { cookie } });
  assert.equal(second.statusCode, 200);
  assert.ok(second.body.includes('after the previous pages'));
  for (const url of ['/findings?after=%3Cscript%3E', `/findings?after=${Buffer.from('[1,2,3]').toString('base64url')}`, '/findings?offset=10001']) {
    const r = await app.inject({ url, headers: { cookie } });
    assert.equal(r.statusCode, 400, url);
    assert.match(String(r.headers['content-type']), /^text\/html/, url);
    assertInert(r.body);
  }
});

test_('roles: viewers cannot see the audit log or admin, nor triage', async () => {
  const { cookie, csrf } = await login('vic');
  assert.equal((await app.inject({ url: '/audit', headers: { cookie } })).statusCode, 403);
  assert.equal((await app.inject({ url: '/admin', headers: { cookie } })).statusCode, 403);
  const t = await app.inject({ method: 'POST', url: '/findings/triage', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf, ids: 'x', status: 'confirmed' }) });
  assert.equal(t.statusCode, 403);
  const a = await login('ann');
  assert.equal((await app.inject({ url: '/admin', headers: { cookie: a.cookie } })).statusCode, 403);
  assert.equal((await app.inject({ url: '/audit', headers: { cookie: a.cookie } })).statusCode, 200);
});

test_('triage: refused without the CSRF token; applied with it, audited, redirected back', async () => {
  const { cookie, csrf } = await login('ann');
  const ids = (await store.listFindings({ limit: 2, offset: 0 })).items.map((f) => f.id);
  const payload = { ids, status: 'confirmed', assignee: 'ann', comment: 'seen <b>it</b>', back: '/findings?status=new' };
  const no = await app.inject({ method: 'POST', url: '/findings/triage', headers: { ...FORM, cookie }, payload: form(payload) });
  assert.equal(no.statusCode, 403);
  const ok = await app.inject({ method: 'POST', url: '/findings/triage', headers: { ...FORM, cookie }, payload: form({ ...payload, _csrf: csrf }) });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/findings?status=new&done=triaged-2');
  const f = await store.finding(ids[0] ?? '');
  assert.equal(f?.status, 'confirmed');
  const audit = await store.listAudit({ limit: 10, offset: 0, targetKind: 'finding', targetId: ids[0] });
  assert.ok(audit.items.some((e) => e.action.startsWith('finding.triage') && e.actorName === 'ann'));
  const list = await app.inject({ url: '/findings?done=triaged-2', headers: { cookie } });
  assert.ok(list.body.includes('2 findings updated.'));
  const evil = await app.inject({ method: 'POST', url: '/findings/triage', headers: { ...FORM, cookie }, payload: form({ ...payload, _csrf: csrf, back: '//evil.example/x' }) });
  assert.equal(evil.headers.location, '/findings?done=triaged-2');
  const none = await app.inject({ method: 'POST', url: '/findings/triage', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf, back: '/findings' }) });
  assert.equal(none.headers.location, '/findings?done=nothing-selected');
});

test_('admin: add a user, create an enrolment token shown once; CSRF required; logout ends the session', async () => {
  const { cookie, csrf } = await login('root');
  const add = { name: 'newbie', role: 'viewer', password: 'a long password!' };
  assert.equal((await app.inject({ method: 'POST', url: '/admin/users', headers: { ...FORM, cookie }, payload: form(add) })).statusCode, 403);
  const ok = await app.inject({ method: 'POST', url: '/admin/users', headers: { ...FORM, cookie }, payload: form({ ...add, _csrf: csrf }) });
  assert.equal(ok.statusCode, 303);
  assert.ok((await store.listUsers()).some((u) => u.name === 'newbie'));
  const dup = await app.inject({ method: 'POST', url: '/admin/users', headers: { ...FORM, cookie }, payload: form({ ...add, _csrf: csrf }) });
  assert.equal(dup.statusCode, 400);
  const short = await app.inject({ method: 'POST', url: '/admin/users', headers: { ...FORM, cookie }, payload: form({ ...add, name: 'x2', password: 'short', _csrf: csrf }) });
  assert.equal(short.statusCode, 400);
  const tok = await app.inject({ method: 'POST', url: '/admin/enrolment-tokens', headers: { ...FORM, cookie }, payload: form({ ttlHours: '2', uses: '3', _csrf: csrf }) });
  assert.equal(tok.statusCode, 201);
  assert.match(tok.body, /<pre class="token">exe_[A-Za-z0-9_-]+<\/pre>/);
  assert.equal(tok.headers['cache-control'], 'no-store');
  const again = await app.inject({ url: '/admin', headers: { cookie } });
  assert.doesNotMatch(again.body, /class="token"/);
  const out = await app.inject({ method: 'POST', url: '/logout', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) });
  assert.equal(out.statusCode, 303);
  assert.equal((await app.inject({ url: '/', headers: { cookie } })).statusCode, 302);
});
});
