/**
 * Login rate limit: at most 5 failed password checks per client address and per user name in
 * the window — however many attempts arrive at once (the check and the count are one step in
 * the database) — then 429 with Retry-After, also for the right password. A name's limit does not
 * apply where its owner signed in before; admins see limits reached in the audit log. The token
 * exchange and enrolment share the path; the JSON login takes JSON from this site only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase, PG_SKIP_MESSAGE } from '../store/test-db.js';
import { addressKey, ipv6Groups, limitKeys } from './login.js';
import { createHarness, PASSWORD } from './testing/harness.js';

test('limit keys: the name case-folded, the address as its key', () => {
  assert.deepEqual(limitKeys(' Alice ', '192.0.2.1'), { name: 'name:alice', address: 'addr:192.0.2.1' });
});

test('address keys: IPv4 as is, IPv4-mapped as IPv4, IPv6 by /64', () => {
  assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
  assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(addressKey('::FFFF:c000:0201'), '192.0.2.1');
  assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:0DB8:0001:0002::ffff'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8:1:2::1%eth0'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8::'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
  assert.equal(addressKey('::'), '0:0:0:0::/64');
  assert.equal(addressKey('not-an-address'), 'not-an-address');
  assert.deepEqual(ipv6Groups('1::2:3.4.5.6'), [1, 0, 0, 0, 0, 2, 0x0304, 0x0506]);
  assert.equal(ipv6Groups('1:2:3:4:5:6:7:8:9'), null);
});

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`slots: Retry-After counts down from the failure that keeps a key at the limit (${backend})`, async (t) => {
    const db = await createTestDatabase(backend);
    if (db === null) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    const t0 = Date.parse('2026-11-27T12:00:00Z');
    let clock = t0;
    const store = await db.open({ now: () => new Date(clock) });
    const keys = [{ key: 'name:eve', max: 5 }, { key: 'addr:192.0.2.7', max: null }];
    const fail = async (): Promise<readonly string[]> => {
      const r = await store.reserveLoginSlot(keys, 900);
      assert.ok(r.ok, 'a slot');
      await store.settleLoginSlot(r.slot, false);
      return r.full;
    };
    const waitAt = async (ms: number): Promise<number | null> => {
      const saved = clock;
      clock = ms;
      const r = await store.reserveLoginSlot([{ key: 'name:eve', max: 5 }], 900);
      clock = saved;
      if (r.ok) {
        await store.settleLoginSlot(r.slot, true); // a success frees the slot again
        return null;
      }
      return r.retryAfterSeconds;
    };
    try {
      for (let i = 0; i < 4; i++) {
        assert.deepEqual(await fail(), []);
        clock += 60_000;
      }
      assert.equal(await waitAt(clock), null, '4 failures: not limited');
      assert.deepEqual(await fail(), ['name:eve'], 'the 5th failure (t0 + 4 min) fills the name');
      const waits = [];
      for (const after of [4, 5, 10, 14.5]) waits.push(await waitAt(t0 + after * 60_000));
      assert.deepEqual(waits, [660, 600, 300, 30], 'free once the first failure (t0) leaves the window: t0 + 15 min');
      assert.equal(await waitAt(t0 + 15 * 60_000 - 100), 1, 'never less than a second');
      assert.equal(await waitAt(t0 + 15 * 60_000 + 1), null);
      // The address key was counted (max null) but never refused on: 5 failures are there.
      assert.equal(await store.failedLoginsSince('addr:192.0.2.7', new Date(t0 - 1).toISOString()), 5);
      const both = await store.reserveLoginSlot([{ key: 'addr:192.0.2.7', max: 5 }, { key: 'name:other', max: 5 }], 900);
      assert.ok(!both.ok && both.key === 'addr:192.0.2.7' && both.retryAfterSeconds === 660);
      // A pending slot (its process died before settling) counts as a failure.
      const pending = await store.reserveLoginSlot([{ key: 'name:ghost', max: 1 }], 900);
      assert.ok(pending.ok);
      const again = await store.reserveLoginSlot([{ key: 'name:ghost', max: 1 }], 900);
      assert.equal(again.ok, false);
    } finally {
      await store.close();
      await db.dispose();
    }
  });

  test(`slots: concurrent reservations on one key get at most max (${backend})`, async (t) => {
    const db = await createTestDatabase(backend);
    if (db === null) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    // Two stores: two connection pools, as two server processes would have (PostgreSQL); on
    // SQLite one process holds one connection, and other processes wait on the file lock.
    const stores = backend === 'postgres' ? await Promise.all([db.open(), db.open()]) : [await db.open()];
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
        (stores[i % stores.length] ?? stores[0])!.reserveLoginSlot([{ key: 'addr:198.51.100.1', max: 5 }, { key: `name:n${i}`, max: 5 }], 900)));
      assert.equal(results.filter((r) => r.ok).length, 5);
      assert.equal(results.filter((r) => !r.ok).length, 35);
    } finally {
      for (const s of stores) await s.close();
      await db.dispose();
    }
  });

  test(`login rate limit (${backend})`, async (t) => {
    const h = await createHarness(backend);
    if (h === null) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    const login = (name: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
      h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { name, password }, remoteAddress, headers });
    const audits = async (action: string) => (await h.store.listAudit({ limit: 1000, offset: 0 })).items.filter((e) => e.action === action);
    try {
      const system = { kind: 'system', id: null, name: 'test' } as const;
      await h.store.addUser('target', 'viewer', PASSWORD, system);
      await h.store.addUser('other', 'analyst', PASSWORD, system);
      await h.store.addUser('burst', 'analyst', PASSWORD, system);
      await h.store.addUser('boss', 'admin', PASSWORD, system);

      await t.test('per name: 5 failures from 5 addresses, then 429 even with the right password from a sixth', async () => {
        for (let i = 1; i <= 5; i++) assert.equal((await login('target', 'wrong', `198.51.100.${i}`)).statusCode, 401);
        const r = await login('target', PASSWORD, '198.51.100.6');
        assert.equal(r.statusCode, 429);
        const wait = Number(r.headers['retry-after']);
        assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 900, `Retry-After ${String(r.headers['retry-after'])}`);
        assert.equal((await login('viewer', PASSWORD, '198.51.100.6')).statusCode, 200, 'other names from that address are fine');
        const limited = await audits('login.limited');
        assert.ok(limited.some((e) => e.details.limit === 'name' && e.details.name === 'target'), 'admins are told in the audit log');
      });
      await t.test('per address: 5 failures on 5 names, then 429 for any name from that address', async () => {
        for (let i = 1; i <= 5; i++) assert.equal((await login(`nobody${i}`, 'wrong', '203.0.113.9')).statusCode, 401);
        assert.equal((await login('other', PASSWORD, '203.0.113.9')).statusCode, 429);
        assert.equal((await login('other', PASSWORD, '203.0.113.10')).statusCode, 200, 'the same person from elsewhere is fine');
        assert.ok((await audits('login.limited')).some((e) => e.details.limit === 'address' && e.details.address === '203.0.113.9'));
      });
      await t.test('an IPv6 network is one address: the /64 shares its limit', async () => {
        for (let i = 1; i <= 5; i++) assert.equal((await login(`v6nobody${i}`, 'wrong', `2001:db8:5:6::${i}`)).statusCode, 401);
        assert.equal((await login('other', PASSWORD, '2001:db8:5:6:ffff::1')).statusCode, 429);
        assert.equal((await login('other', PASSWORD, '2001:db8:5:7::1')).statusCode, 200);
      });
      await t.test('an anonymous lock on a name does not shut its owner out where they signed in before', async () => {
        assert.equal((await login('boss', PASSWORD, '192.0.2.50')).statusCode, 200, 'the admin signs in from their usual address');
        for (let i = 1; i <= 5; i++) assert.equal((await login('boss', `guess${i}`, `198.18.0.${i}`)).statusCode, 401);
        assert.equal((await login('boss', PASSWORD, '198.18.0.99')).statusCode, 429, 'locked for other addresses');
        assert.equal((await login('boss', PASSWORD, '192.0.2.50')).statusCode, 200, 'not from the usual address');
        // There the address limit still holds: 5 failures, then refused there too.
        for (let i = 1; i <= 5; i++) assert.equal((await login('boss', `typo${i}`, '192.0.2.50')).statusCode, 401);
        assert.equal((await login('boss', PASSWORD, '192.0.2.50')).statusCode, 429);
      });
      await t.test('a burst of 60 wrong passwords and the right one: 5 failed checks, the rest 429', async () => {
        const before = (await audits('login.failed')).length;
        const passwords = Array.from({ length: 60 }, (_, i) => `wrong${i}`);
        passwords.splice(30, 0, PASSWORD);
        const codes = (await Promise.all(passwords.map((p) => login('burst', p, '192.0.2.200')))).map((r) => r.statusCode);
        const count = (c: number) => codes.filter((x) => x === c).length;
        assert.equal(count(401), 5, `codes: ${JSON.stringify(codes)}`);
        assert.equal(count(401) + count(429) + count(200), 61);
        assert.ok(count(200) <= 1);
        assert.equal((await audits('login.failed')).length - before, 5, 'five passwords were checked and failed');
      });
      await t.test('a burst on one name from many addresses: 5 failed checks', async () => {
        await h.store.addUser('spread', 'viewer', PASSWORD, system);
        const codes = (await Promise.all(Array.from({ length: 40 }, (_, i) => login('spread', `w${i}`, `100.64.${i}.1`)))).map((r) => r.statusCode);
        assert.equal(codes.filter((c) => c === 401).length, 5);
        assert.equal(codes.filter((c) => c === 429).length, 35);
      });
      await t.test('the token exchange shares the limit', async () => {
        const r = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'target', password: PASSWORD, label: 'x' }, remoteAddress: '198.51.100.7' });
        assert.equal(r.statusCode, 429);
        const codes = (await Promise.all(Array.from({ length: 20 }, (_, i) => h.app.inject({ method: 'POST', url: '/api/v1/tokens',
          payload: { name: 'other', password: `w${i}`, label: 'x' }, remoteAddress: '192.0.2.201' })))).map((x) => x.statusCode);
        assert.equal(codes.filter((c) => c === 401).length, 5);
      });
      await t.test('enrolment shares the path: a burst of bad tokens gets 5 checks', async () => {
        const codes = (await Promise.all(Array.from({ length: 20 }, (_, i) => h.app.inject({ method: 'POST', url: '/api/v1/agents/enroll',
          payload: { token: `exe_${'x'.repeat(20)}${i}`, hostname: 'h.example' }, remoteAddress: '192.0.2.202' })))).map((x) => x.statusCode);
        assert.equal(codes.filter((c) => c === 403).length, 5);
        assert.equal(codes.filter((c) => c === 429).length, 15);
      });
      await t.test('failed logins are in the audit log', async () => {
        assert.ok((await audits('login.failed')).length > 0);
        assert.ok((await audits('login')).length > 0);
      });
      await t.test('login CSRF: the JSON login takes JSON only, from this site only', async () => {
        const form = await h.app.inject({ method: 'POST', url: '/api/v1/login', remoteAddress: '192.0.2.150',
          headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `name=viewer&password=${encodeURIComponent(PASSWORD)}` });
        assert.equal(form.statusCode, 415);
        assert.equal(form.cookies.length, 0);
        const text = await h.app.inject({ method: 'POST', url: '/api/v1/login', remoteAddress: '192.0.2.150',
          headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ name: 'viewer', password: PASSWORD }) });
        assert.equal(text.statusCode, 415);
        const cross = await login('viewer', PASSWORD, '192.0.2.150', { origin: 'https://evil.example' });
        assert.equal(cross.statusCode, 403);
        assert.equal((await login('viewer', PASSWORD, '192.0.2.150', { 'sec-fetch-site': 'cross-site' })).statusCode, 403);
        const tokenForm = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', remoteAddress: '192.0.2.150',
          headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `name=other&password=x&label=y` });
        assert.equal(tokenForm.statusCode, 415);
        assert.equal((await login('viewer', PASSWORD, '192.0.2.150', { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode, 200);
        assert.equal((await login('viewer', PASSWORD, '192.0.2.150')).statusCode, 200, 'tools send neither header');
      });
    } finally {
      await h.close();
    }
  });
}
