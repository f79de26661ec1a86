/**
 * Login rate limit: 5 failures per user name and per client address within the window, then
 * 429 with Retry-After — also for the right password — counted in the store (shared by every
 * process). The API token exchange shares the limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase, PG_SKIP_MESSAGE } from '../store/test-db.js';
import { limitKeys, rateLimited } from './login.js';
import { createHarness, PASSWORD } from './testing/harness.js';

test('limit keys: the name case-folded, the address as given', () => {
  assert.deepEqual(limitKeys(' Alice ', '192.0.2.1'), ['name:alice', 'addr:192.0.2.1']);
});

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`Retry-After counts down from the failure that keeps a key at the limit (${backend})`, async (t) => {
    const db = await createTestDatabase(backend);
    if (db === null) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    const t0 = Date.parse('2026-11-27T12:00:00Z');
    let clock = t0;
    const store = await db.open({ now: () => new Date(clock) });
    const opts = { loginLimit: { max: 5, windowSeconds: 900 } };
    const keys = limitKeys('eve', '192.0.2.7');
    try {
      for (let i = 0; i < 4; i++) {
        await store.recordLoginAttempt('name:eve', false);
        clock += 60_000;
      }
      assert.equal(await rateLimited(store, opts, keys, clock), null, '4 failures: not limited');
      await store.recordLoginAttempt('name:eve', false); // the 5th, at t0 + 4 min
      const waits = [];
      for (const after of [4, 5, 10, 14.5]) waits.push(await rateLimited(store, opts, keys, t0 + after * 60_000));
      // Free once the first failure (t0) leaves the window: t0 + 15 min.
      assert.deepEqual(waits, [660, 600, 300, 30]);
      assert.equal(await rateLimited(store, opts, keys, t0 + 15 * 60_000 + 1), null);
      assert.equal(await rateLimited(store, opts, keys, t0 + 15 * 60_000 - 100), 1, 'never less than a second');

      clock = t0 + 6 * 60_000; // a 6th failure: now the 2nd oldest (t0 + 1 min) decides
      await store.recordLoginAttempt('name:eve', false);
      assert.equal(await rateLimited(store, opts, keys, t0 + 15 * 60_000 + 1), 60);
      // The address key, limited later, makes the wait the longer of the two.
      for (let i = 0; i < 5; i++) await store.recordLoginAttempt('addr:192.0.2.7', false);
      const both = await rateLimited(store, opts, keys, clock);
      assert.equal(both, 900);
      for (const w of [...waits, both]) assert.ok(w !== null && w >= 1 && w <= opts.loginLimit.windowSeconds);
    } finally {
      await store.close();
      await db.dispose();
    }
  });

  test(`login rate limit (${backend})`, async (t) => {
    const h = await createHarness(backend);
    if (h === null) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    const login = (name: string, password: string, remoteAddress: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { name, password }, remoteAddress });
    try {
      await h.store.addUser('target', 'viewer', PASSWORD, { kind: 'system', id: null, name: 'test' });
      await h.store.addUser('other', 'analyst', PASSWORD, { kind: 'system', id: null, name: 'test' });

      await t.test('per name: 5 failures from 5 addresses, then 429 even with the right password from a sixth', async () => {
        for (let i = 1; i <= 5; i++) assert.equal((await login('target', 'wrong', `198.51.100.${i}`)).statusCode, 401);
        const r = await login('target', PASSWORD, '198.51.100.6');
        assert.equal(r.statusCode, 429);
        const wait = Number(r.headers['retry-after']);
        assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 900, `Retry-After ${String(r.headers['retry-after'])}`);
        assert.equal((await login('viewer', PASSWORD, '198.51.100.6')).statusCode, 200, 'other names from that address are fine');
      });
      await t.test('per address: 5 failures on 5 names, then 429 for any name from that address', async () => {
        for (let i = 1; i <= 5; i++) assert.equal((await login(`nobody${i}`, 'wrong', '203.0.113.9')).statusCode, 401);
        assert.equal((await login('other', PASSWORD, '203.0.113.9')).statusCode, 429);
        assert.equal((await login('other', PASSWORD, '203.0.113.10')).statusCode, 200, 'the same person from elsewhere is fine');
      });
      await t.test('the token exchange shares the limit', async () => {
        const r = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'target', password: PASSWORD, label: 'x' }, remoteAddress: '198.51.100.7' });
        assert.equal(r.statusCode, 429);
      });
      await t.test('failed logins are in the audit log', async () => {
        const a = await h.store.listAudit({ limit: 100, offset: 0 });
        assert.ok(a.items.some((e) => e.action === 'login.failed'));
        assert.ok(a.items.some((e) => e.action === 'login'));
      });
    } finally {
      await h.close();
    }
  });
}
