/**
 * CSRF: a state-changing request authenticated by the session cookie needs the session's token
 * (header or `_csrf` form field); a missing or wrong one is 403 and changes nothing. Bearer
 * requests need none. Login routes are exempt (they authenticate by password).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PG_SKIP_MESSAGE } from '../store/test-db.js';
import { createHarness } from './testing/harness.js';
import { csrfOk, sameSecret } from './csrf.js';

test('sameSecret compares in constant time and by length', () => {
  assert.equal(sameSecret('abc', 'abc'), true);
  assert.equal(sameSecret('abc', 'abd'), false);
  assert.equal(sameSecret('abc', 'abcd'), false);
});

test('csrfOk lets safe methods and non-session principals through', () => {
  const req = (method: string, principal: unknown) => ({ method, principal, headers: {}, body: undefined, routeOptions: { config: {} } }) as never;
  assert.equal(csrfOk(req('GET', { kind: 'session', session: { csrfToken: 'x' } })), true);
  assert.equal(csrfOk(req('POST', null)), true);
  assert.equal(csrfOk(req('POST', { kind: 'token' })), true);
  assert.equal(csrfOk(req('POST', { kind: 'session', session: { csrfToken: 'x' } })), false);
});

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`CSRF on the API (${backend})`, async (t) => {
    const h = await createHarness(backend);
    if (h === null) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    try {
      const audit = async () => (await h.store.listAudit({ limit: 1, offset: 0 })).total;
      const enrol = (who: 'admin-session' | 'admin-token', csrf: boolean, headers: Record<string, string> = {}) =>
        h.as(who, { method: 'POST', url: '/api/v1/enrolment-tokens', payload: {}, csrf, headers });

      await t.test('POST with the cookie and no token: 403, nothing changes', async () => {
        const before = await audit();
        const r = await enrol('admin-session', false);
        assert.equal(r.statusCode, 403);
        assert.match(r.body, /CSRF/);
        assert.equal(await audit(), before);
      });
      await t.test('POST with the cookie and a wrong token: 403', async () => {
        assert.equal((await enrol('admin-session', false, { 'x-csrf-token': 'not-the-token' })).statusCode, 403);
        assert.equal((await enrol('admin-session', false, { 'x-csrf-token': h.sessions.analyst.csrf })).statusCode, 403, "another session's token");
      });
      await t.test('POST with the cookie and the right token: ok', async () => {
        assert.equal((await enrol('admin-session', true)).statusCode, 201);
      });
      await t.test('the token may come as the _csrf form field', async () => {
        const r = await h.app.inject({ method: 'POST', url: '/api/v1/enrolment-tokens', cookies: { exhunt_session: h.sessions.admin.cookie },
          headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(h.sessions.admin.csrf)}` });
        assert.equal(r.statusCode, 201, r.body);
      });
      await t.test('PATCH with the cookie: refused without, accepted with the token', async () => {
        const patch = (csrf: boolean) => h.as('analyst-session', { method: 'PATCH', url: '/api/v1/findings', payload: { ids: ['no-such-finding'], comment: 'x' }, csrf });
        assert.equal((await patch(false)).statusCode, 403);
        assert.equal((await patch(true)).statusCode, 200);
      });
      await t.test('bearer requests need no token', async () => {
        assert.equal((await enrol('admin-token', false)).statusCode, 201);
      });
      await t.test('upload with the cookie needs the token too', async () => {
        const up = (csrf: boolean) => h.as('analyst-session', { method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: '{}', csrf });
        assert.equal((await up(false)).statusCode, 403);
        assert.equal((await up(true)).statusCode, 400, 'past CSRF, refused as an invalid report');
      });
      await t.test('login is exempt even with a stale session cookie', async () => {
        const r = await h.app.inject({ method: 'POST', url: '/api/v1/login', cookies: { exhunt_session: h.sessions.viewer.cookie },
          payload: { name: 'viewer', password: 'correct horse battery staple' } });
        assert.equal(r.statusCode, 200);
      });
    } finally {
      await h.close();
    }
  });
}
