/**
 * Two server processes on one PostgreSQL database act as one service: two apps, each with its
 * own store (its own pool), used alternately — a session made on A works on B (CSRF token
 * included), a logout on B ends it on A, and the login rate limit counts failures on both (also
 * when a burst arrives on both at once).
 * Skipped with a message when EXHUNT_TEST_PG is not set.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../app.js';
import { syntheticReport } from '../store/seed.js';
import { createTestDatabase, PG_SKIP_MESSAGE } from '../store/test-db.js';
import { login, PASSWORD, serverOptions } from './testing/harness.js';

test('two apps on one PostgreSQL database behave as one', async (t) => {
  const db = await createTestDatabase('postgres');
  if (db === null) {
    t.skip(PG_SKIP_MESSAGE);
    return;
  }
  const [storeA, storeB] = await Promise.all([db.open(), db.open()]);
  const [a, b] = await Promise.all([buildApp(serverOptions(storeA)), buildApp(serverOptions(storeB))]);
  try {
    await storeA.addUser('ana', 'analyst', PASSWORD, { kind: 'system', id: null, name: 'test' });
    const s = await login(a, 'ana');
    const onB = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, csrf = true) => b.inject({
      method, url, cookies: { exhunt_session: s.cookie }, headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': s.csrf } : {}) }, ...(payload !== undefined ? { payload: payload as string } : {}) });

    await t.test('a session from A works on B, with its CSRF token', async () => {
      assert.equal((await onB('GET', '/api/v1/me')).statusCode, 200);
      const up = await onB('POST', '/api/v1/reports', JSON.stringify(syntheticReport(3, { findings: 1 })));
      assert.equal(up.statusCode, 201, up.body);
      assert.equal((await onB('POST', '/api/v1/reports', '{}', false)).statusCode, 403);
    });
    await t.test('what B stored, A serves; the duplicate is caught across both', async () => {
      const r = await a.inject({ method: 'GET', url: '/api/v1/servers', cookies: { exhunt_session: s.cookie } });
      assert.equal((JSON.parse(r.body) as { total: number }).total, 1);
      const again = await a.inject({ method: 'POST', url: '/api/v1/reports', cookies: { exhunt_session: s.cookie }, headers: { 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
        payload: JSON.stringify(syntheticReport(3, { findings: 1 })) });
      assert.equal(again.statusCode, 200);
    });
    await t.test('the login limit counts failures on A and B together', async () => {
      const fail = (app: typeof a, i: number) => app.inject({ method: 'POST', url: '/api/v1/login', payload: { name: 'ana', password: `wrong${i}` }, remoteAddress: `192.0.2.${i}` });
      for (let i = 1; i <= 5; i++) assert.equal((await fail(i % 2 === 0 ? a : b, i)).statusCode, 401);
      const r = await a.inject({ method: 'POST', url: '/api/v1/login', payload: { name: 'ana', password: PASSWORD }, remoteAddress: '192.0.2.99' });
      assert.equal(r.statusCode, 429);
      const rb = await b.inject({ method: 'POST', url: '/api/v1/login', payload: { name: 'ana', password: PASSWORD }, remoteAddress: '192.0.2.98' });
      assert.equal(rb.statusCode, 429);
    });
    await t.test('a burst on A and B at once: 5 failed password checks in all', async () => {
      await storeA.addUser('burst', 'viewer', PASSWORD, { kind: 'system', id: null, name: 'test' });
      const codes = (await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).inject({
        method: 'POST', url: '/api/v1/login', payload: { name: 'burst', password: `wrong${i}` }, remoteAddress: `198.18.${i}.1` })))).map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 401).length, 5, JSON.stringify(codes));
      assert.equal(codes.filter((c) => c === 429).length, 35);
    });
    await t.test('a logout on B ends the session on A', async () => {
      assert.equal((await onB('POST', '/api/v1/logout')).statusCode, 204);
      assert.equal((await a.inject({ method: 'GET', url: '/api/v1/me', cookies: { exhunt_session: s.cookie } })).statusCode, 401);
    });
  } finally {
    await Promise.all([a.close(), b.close()]);
    await Promise.all([storeA.close(), storeB.close()]);
    await db.dispose();
  }
});
