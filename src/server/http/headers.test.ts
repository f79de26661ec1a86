/**
 * What every response carries and how refusals look: security headers (CSP, nosniff, no
 * referrer, no-store) on API, page, 404 and error responses; JSON errors without stack traces;
 * anonymous page requests redirected to the login page with a local `next` only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../app.js';
import { createTestDatabase } from '../store/test-db.js';
import { CSP } from './headers.js';
import { isApiPath, localPath } from './guard.js';
import { serverOptions } from './testing/harness.js';

test('localPath keeps only same-site paths', () => {
  assert.equal(localPath('/servers/abc?x=1'), '/servers/abc?x=1');
  for (const bad of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/a\nb', '', null, undefined]) {
    assert.equal(localPath(bad), null, String(bad));
  }
  assert.equal(isApiPath('/api/v1/x'), true);
  assert.equal(isApiPath('/apiary'), false);
});

test('headers, errors and redirects (SQLite)', async (t) => {
  const db = await createTestDatabase('sqlite');
  assert.ok(db !== null);
  const store = await db.open();
  const app = await buildApp(serverOptions(store, { secureCookies: true }));
  try {
    const check = (h: Record<string, unknown>, what: string) => {
      assert.equal(h['content-security-policy'], CSP, what);
      assert.match(CSP, /frame-ancestors 'none'/);
      assert.equal(h['x-content-type-options'], 'nosniff', what);
      assert.equal(h['referrer-policy'], 'no-referrer', what);
      assert.equal(h['cache-control'], 'no-store', what);
      assert.match(String(h['strict-transport-security']), /max-age=/, what);
    };
    await t.test('on API, 404, 401 and page redirects', async () => {
      for (const url of ['/healthz', '/api/v1/servers', '/api/v1/nothing-here', '/nothing-here', '/']) {
        check((await app.inject({ method: 'GET', url })).headers, url);
      }
    });
    await t.test('404 and 400 are JSON without a stack', async () => {
      const nf = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
      assert.equal(nf.statusCode, 404);
      assert.deepEqual(JSON.parse(nf.body), { error: 'not found' });
      const bad = await app.inject({ method: 'POST', url: '/api/v1/login', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
      assert.equal(bad.statusCode, 400);
      assert.doesNotMatch(bad.body, /at .*\.(ts|js):\d+/);
      const invalid = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { name: '' } });
      const e = JSON.parse(invalid.body) as { error: string; details: { path: string; message: string }[] };
      assert.equal(invalid.statusCode, 400);
      assert.ok(e.details.length > 0);
    });
    await t.test('unknown page paths get an HTML 404 page in the layout (path not echoed); API paths stay JSON', async () => {
      for (const [method, url] of [['GET', '/nothing-here/%3Cscript%3Ex'], ['GET', '/apiary'], ['POST', '/no-form-here']] as const) {
        const r = await app.inject({ method, url });
        assert.equal(r.statusCode, 404, url);
        assert.match(String(r.headers['content-type']), /^text\/html/, url);
        check(r.headers, `${method} ${url}`);
        assert.match(r.body, /<title>Page not found — exhunt fleet<\/title>/);
        assert.match(r.body, /href="\/static\/app\.css"/);
        assert.doesNotMatch(r.body, /script%3E|<script>|nothing-here|apiary/i);
        assert.doesNotMatch(r.body, /<nav>/, 'anonymous: no navigation');
      }
      for (const url of ['/api', '/api/v2/x', '/api?x=1']) {
        const r = await app.inject({ method: 'GET', url });
        assert.equal(r.statusCode, 404, url);
        assert.deepEqual(JSON.parse(r.body), { error: 'not found' }, url);
      }
      const apiOnly = await buildApp(serverOptions(store), { dashboard: false });
      try {
        const r = await apiOnly.inject({ method: 'GET', url: '/nothing-here' });
        assert.deepEqual([r.statusCode, JSON.parse(r.body)], [404, { error: 'not found' }], 'no dashboard: JSON');
      } finally {
        await apiOnly.close();
      }
    });
    await t.test('anonymous pages go to /login with a local next', async () => {
      const r = await app.inject({ method: 'GET', url: '/findings?status=new' });
      assert.equal(r.statusCode, 302);
      assert.equal(r.headers.location, `/login?next=${encodeURIComponent('/findings?status=new')}`);
      const api = await app.inject({ method: 'GET', url: '/api/v1/findings' });
      assert.equal(api.statusCode, 401);
      assert.equal(api.headers.location, undefined);
    });
    await t.test('session cookie is HttpOnly, SameSite=Strict, Secure, Path=/; a low role gets the 403 page', async () => {
      await store.addUser('cookie-test', 'viewer', 'correct horse battery staple', { kind: 'system', id: null, name: 'test' });
      const r = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { name: 'cookie-test', password: 'correct horse battery staple' } });
      const c = String(r.headers['set-cookie']);
      for (const part of ['HttpOnly', 'SameSite=Strict', 'Secure', 'Path=/']) assert.ok(c.includes(part), `${part} in ${c}`);
      const cookie = r.cookies.find((x) => x.name === 'exhunt_session')?.value ?? '';
      const page = await app.inject({ method: 'GET', url: '/audit', cookies: { exhunt_session: cookie } });
      assert.equal(page.statusCode, 403, 'a viewer on an analyst page');
      assert.match(String(page.headers['content-type']), /^text\/html/);
      check(page.headers, '403 page');
      const missing = await app.inject({ method: 'GET', url: '/no-such-page', cookies: { exhunt_session: cookie } });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /<nav>/, 'signed in: the 404 page has the navigation');
      assert.match(missing.body, /cookie-test \(viewer\)/);
    });
    await t.test('a malformed bearer header is anonymous, not an error', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer \u0000bad' } });
      assert.equal(r.statusCode, 401);
    });
  } finally {
    await app.close();
    await store.close();
    await db.dispose();
  }
});
