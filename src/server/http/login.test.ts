/**
 * Login rate limit: 5 failures per user name and per client address within the window, then
 * 429 with Retry-After — also for the right password — counted in the store (shared by every
 * process). The API token exchange shares the limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PG_SKIP_MESSAGE } from '../store/test-db.js';
import { limitKeys } from './login.js';
import { createHarness, PASSWORD } from './testing/harness.js';

test('limit keys: the name case-folded, the address as given', () => {
  assert.deepEqual(limitKeys(' Alice ', '192.0.2.1'), ['name:alice', 'addr:192.0.2.1']);
});

for (const backend of ['sqlite', 'postgres'] as const) {
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
        assert.equal(r.headers['retry-after'], '900');
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
