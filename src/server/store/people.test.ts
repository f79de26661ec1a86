/**
 * Fleet store contract, people and agents: one suite run against SQLite and PostgreSQL
 * (skipped with a message when EXHUNT_TEST_PG is unset). Users, password checks, login rate
 * counts, sessions, API tokens, enrolment tokens (expiry, uses), agents, audit entries.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from './types.js';
import type { KyselyFleetStore } from './fleet-store.js';
import { StoreError } from './context.js';
import { pgTestUrl, PG_SKIP_MESSAGE, type TestBackend } from './test-db.js';
import { useTestStore } from './testing/store-fixture.js';

const ADMIN: Actor = { kind: 'system', id: null, name: 'test' };
const PASSWORD = 'correct horse battery';

function suite(backend: TestBackend): void {
  const skip = backend === 'postgres' && pgTestUrl() === null ? PG_SKIP_MESSAGE : false;
  describe(`fleet store: people and agents (${backend})`, { skip }, () => {
    let store: KyselyFleetStore;
    let clock = Date.parse('2026-11-27T12:00:00Z');
    useTestStore(backend, () => new Date(clock), (s) => (store = s));

    it('adds users, refuses duplicates (any case), bad names and short passwords, and audits', async () => {
      const u = await store.addUser('Alice', 'admin', PASSWORD, ADMIN);
      assert.equal(u.role, 'admin');
      assert.equal(u.disabled, false);
      await assert.rejects(store.addUser('alice', 'viewer', PASSWORD, ADMIN), (e: unknown) => e instanceof StoreError && e.code === 'exists');
      await assert.rejects(store.addUser('bob', 'viewer', 'short', ADMIN), (e: unknown) => e instanceof StoreError && e.code === 'invalid');
      await assert.rejects(store.addUser('<script>', 'viewer', PASSWORD, ADMIN), (e: unknown) => e instanceof StoreError && e.code === 'invalid');
      await store.addUser('bob', 'viewer', PASSWORD, ADMIN);
      assert.equal(await store.countUsers(), 2);
      assert.deepEqual((await store.listUsers()).map((x) => [x.name, x.role]), [['Alice', 'admin'], ['bob', 'viewer']]);
      const audit = await store.listAudit({ limit: 10, offset: 0, targetKind: 'user' });
      assert.deepEqual(audit.items.filter((a) => a.action === 'user.added').map((a) => a.details.name).sort(), ['Alice', 'bob']);
      assert.ok(audit.items.every((a) => !JSON.stringify(a).includes(PASSWORD)));
    });

    it('verifies passwords: right one (name in any case), wrong one, unknown name', async () => {
      assert.equal((await store.verifyPassword('ALICE', PASSWORD))?.name, 'Alice');
      assert.equal(await store.verifyPassword('alice', `${PASSWORD}x`), null);
      assert.equal(await store.verifyPassword('nobody', PASSWORD), null);
    });

    it('counts failed logins per key since a time, case-insensitively', async () => {
      for (let i = 0; i < 3; i++) await store.recordLoginAttempt('Alice', false);
      await store.recordLoginAttempt('alice', true);
      await store.recordLoginAttempt('203.0.113.9', false);
      const since = new Date(clock - 15 * 60_000).toISOString();
      assert.equal(await store.failedLoginsSince('alice', since), 3);
      assert.equal(await store.failedLoginsSince('203.0.113.9', since), 1);
      clock += 16 * 60_000;
      assert.equal(await store.failedLoginsSince('alice', new Date(clock - 15 * 60_000).toISOString()), 0);
    });

    it('finds the n-th most recent failed login in a window (successes and other keys ignored)', async () => {
      const t0 = clock;
      for (let i = 0; i < 4; i++) {
        await store.recordLoginAttempt('Carol', false);
        await store.recordLoginAttempt('carol', true);
        await store.recordLoginAttempt('dave', false);
        clock += 60_000;
      }
      const since = new Date(t0).toISOString();
      const at = (k: number): string => new Date(t0 + k * 60_000).toISOString();
      assert.equal(await store.nthRecentFailedLogin('carol', since, 1), at(3));
      assert.equal(await store.nthRecentFailedLogin('CAROL', since, 4), at(0), 'n = the count: the oldest in the window');
      assert.equal(await store.nthRecentFailedLogin('carol', since, 5), null);
      assert.equal(await store.nthRecentFailedLogin('carol', at(2), 2), at(2));
      assert.equal(await store.nthRecentFailedLogin('carol', at(2), 3), null);
      await assert.rejects(store.nthRecentFailedLogin('carol', since, 0), StoreError);
    });

    it('creates sessions found by token until they expire or are deleted; stores only hashes', async () => {
      const alice = await store.verifyPassword('alice', PASSWORD);
      assert.ok(alice);
      const { token, session } = await store.createSession(alice.id, 3600);
      assert.match(token, /^exs_[A-Za-z0-9_-]{43}$/);
      assert.ok(session.csrfToken.length >= 32);
      const found = await store.sessionByToken(token);
      assert.equal(found?.user.name, 'Alice');
      assert.equal(found?.csrfToken, session.csrfToken);
      assert.equal(await store.sessionByToken(`${token}x`), null);
      const rows = await store.db.selectFrom('sessions').select('token_hash').execute();
      assert.ok(rows.every((r) => r.token_hash !== token && /^[0-9a-f]{64}$/.test(r.token_hash)));
      clock += 3601_000;
      assert.equal(await store.sessionByToken(token), null);
      const second = await store.createSession(alice.id, 3600);
      await store.deleteSession(second.token);
      assert.equal(await store.sessionByToken(second.token), null);
    });

    it('creates API tokens that name their user, audited', async () => {
      const bob = await store.verifyPassword('bob', PASSWORD);
      assert.ok(bob);
      const actor: Actor = { kind: 'user', id: bob.id, name: bob.name };
      const { token, id } = await store.createApiToken(bob.id, 'laptop', actor);
      assert.match(token, /^exu_/);
      assert.equal((await store.userByApiToken(token))?.name, 'bob');
      assert.equal(await store.userByApiToken('exu_nope'), null);
      const audit = await store.listAudit({ limit: 5, offset: 0, targetKind: 'user', targetId: bob.id });
      const entry = audit.items.find((a) => a.action === 'api_token.created');
      assert.equal(entry?.details.tokenId, id);
      assert.equal(entry?.actorName, 'bob');
    });

    it('enrolment tokens: used up after their uses, refused after expiry, one agent per use', async () => {
      const two = await store.createEnrolmentToken(ADMIN, { ttlSeconds: 3600, uses: 2 });
      assert.match(two.token, /^exe_/);
      const a = await store.enrollAgent(two.token, 'EX01.corp.example');
      const b = await store.enrollAgent(two.token, 'ex02.corp.example');
      assert.ok(a && b);
      assert.match(a.credential, /^exa_/);
      assert.equal(await store.enrollAgent(two.token, 'ex03.corp.example'), null);
      const short = await store.createEnrolmentToken(ADMIN, { ttlSeconds: 60, uses: 5 });
      clock += 61_000;
      assert.equal(await store.enrollAgent(short.token, 'ex04.corp.example'), null);
      assert.equal(await store.enrollAgent('exe_unknown', 'ex05.corp.example'), null);
      assert.equal((await store.server('ex01.corp.example'))?.id, a.agent.serverId);
      await assert.rejects(store.createEnrolmentToken(ADMIN, { ttlSeconds: 60, uses: 0 }), StoreError);
    });

    it('racing enrolments never exceed the uses', async () => {
      const t = await store.createEnrolmentToken(ADMIN, { ttlSeconds: 3600, uses: 3 });
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.enrollAgent(t.token, `race${i}.corp.example`)));
      assert.equal(results.filter((r) => r !== null).length, 3);
    });

    it('agents authenticate by credential until revoked; revocation is audited once', async () => {
      const t = await store.createEnrolmentToken(ADMIN, { ttlSeconds: 3600, uses: 1 });
      const e = await store.enrollAgent(t.token, 'ex09.corp.example');
      assert.ok(e);
      const seen = await store.agentByCredential(e.credential);
      assert.equal(seen?.id, e.agent.id);
      assert.equal(seen?.lastSeenAt, new Date(clock).toISOString());
      assert.ok((await store.listAgents()).some((x) => x.id === e.agent.id && !x.revoked));
      assert.equal(await store.revokeAgent(e.agent.id, ADMIN), true);
      assert.equal(await store.revokeAgent(e.agent.id, ADMIN), false);
      assert.equal(await store.agentByCredential(e.credential), null);
      const audit = await store.listAudit({ limit: 10, offset: 0, targetKind: 'agent', targetId: e.agent.id });
      assert.deepEqual(audit.items.map((x) => x.action).sort(), ['agent.enrolled', 'agent.revoked']);
      const tokens = await store.listAudit({ limit: 100, offset: 0, targetKind: 'enrolment_token' });
      assert.ok(tokens.total >= 4);
      assert.ok(tokens.items.every((x) => x.action === 'enrolment_token.created' && !JSON.stringify(x.details).includes('exe_')));
    });

    it('agents\' lastSeenAt: written on first sight, then at most once a minute; never for revoked agents', async () => {
      const t = await store.createEnrolmentToken(ADMIN, { ttlSeconds: 3600, uses: 1 });
      const e = await store.enrollAgent(t.token, 'ex10.corp.example');
      assert.ok(e);
      const lastSeen = async (): Promise<string | null | undefined> => (await store.listAgents()).find((x) => x.id === e.agent.id)?.lastSeenAt;
      assert.equal(await lastSeen(), null);
      const first = new Date(clock).toISOString();
      assert.equal((await store.agentByCredential(e.credential))?.lastSeenAt, first);
      clock += 30_000;
      assert.equal(await store.touchAgent(e.agent.id), null, 'seen 30 s ago: no write');
      assert.equal((await store.agentByCredential(e.credential))?.lastSeenAt, first);
      assert.equal(await lastSeen(), first);
      clock += 31_000;
      const later = new Date(clock).toISOString();
      assert.equal(await store.touchAgent(e.agent.id), later);
      assert.equal(await lastSeen(), later);
      assert.equal(await store.touchAgent(e.agent.id), null);
      assert.equal(await store.touchAgent('no-such-agent'), null);
      await store.revokeAgent(e.agent.id, ADMIN);
      clock += 120_000;
      assert.equal(await store.touchAgent(e.agent.id), null, 'revoked: not touched');
      assert.equal(await lastSeen(), later);
    });

    it('writes free audit entries and pages through them newest first', async () => {
      await store.audit({ actor: ADMIN, action: 'test.thing', targetKind: 'thing', targetId: 't1', details: { a: 1 } });
      clock += 1000;
      await store.audit({ actor: ADMIN, action: 'test.thing', targetKind: 'thing', targetId: 't2' });
      const page = await store.listAudit({ limit: 1, offset: 0, targetKind: 'thing' });
      assert.equal(page.total, 2);
      assert.equal(page.items[0]?.targetId, 't2');
      assert.deepEqual(page.items[0]?.details, {});
      const next = await store.listAudit({ limit: 1, offset: 1, targetKind: 'thing' });
      assert.deepEqual(next.items[0]?.details, { a: 1 });
    });
  });
}

suite('sqlite');
suite('postgres');
