/**
 * Opening and migrating the fleet store: SQLite file and folder permissions and pragmas,
 * repeated migrate(), two stores migrating one fresh PostgreSQL database at once, bad URLs.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openStore, SQLITE_FILE } from './open.js';
import { createTestDatabase, pgTestUrl, PG_SKIP_MESSAGE } from './test-db.js';
import { buildSortKey } from './server-rows.js';

const OPEN_TS = fileURLToPath(new URL('./open.ts', import.meta.url));

describe('openStore (sqlite)', () => {
  const base = mkdtempSync(join(tmpdir(), 'exhunt-open-'));
  after(() => rmSync(base, { recursive: true, force: true }));

  it('creates the data folder 0700 and the database file 0600, in WAL mode with foreign keys', async () => {
    const dir = join(base, 'server');
    const store = await openStore({ dataDir: dir });
    try {
      assert.equal(store.dialect, 'sqlite');
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, SQLITE_FILE)).mode & 0o777, 0o600);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      assert.equal(mode.rows[0]?.journal_mode, 'wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      assert.equal(fk.rows[0]?.foreign_keys, 1);
      const ckpt = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
      assert.equal(ckpt.rows[0]?.wal_autocheckpoint, 10000);
      await store.migrate();
    } finally {
      await store.close();
    }
    const again = await openStore({ dataDir: dir });
    assert.equal(await again.countUsers(), 0);
    await again.close();
  });

  it('two processes migrating one new SQLite file at once both succeed', async () => {
    const dir = join(base, 'race');
    const code = [
      `import { openStore } from ${JSON.stringify(OPEN_TS)};`,
      `const s = await openStore({ dataDir: ${JSON.stringify(dir)} });`,
      'process.stdout.write(String(await s.countUsers()));',
      'await s.close();',
    ].join('\n');
    const run = (): Promise<{ code: number | null; out: string }> => new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
      child.on('close', (c) => resolve({ code: c, out }));
    });
    const results = await Promise.all([run(), run(), run()]);
    assert.deepEqual(results, [{ code: 0, out: '0' }, { code: 0, out: '0' }, { code: 0, out: '0' }]);
  });

  it('refuses a --db that is not a postgres:// URL', async () => {
    await assert.rejects(openStore({ url: 'mysql://x', dataDir: join(base, 'x') }), /postgres:\/\//);
  });

  it('sorts builds by version, not as text', () => {
    const a = buildSortKey('15.2.792.10') ?? '';
    const b = buildSortKey('15.2.1118.7') ?? '';
    assert.ok(a < b);
    assert.equal(buildSortKey(null), null);
  });
});

describe('openStore (postgres)', { skip: pgTestUrl() === null ? PG_SKIP_MESSAGE : false }, () => {
  it('two stores migrating one fresh database at once both succeed, and the schema is there once', async () => {
    const t = await createTestDatabase('postgres');
    assert.ok(t);
    try {
      const [a, b] = await Promise.all([t.open(), t.open()]);
      try {
        assert.equal(a.dialect, 'postgres');
        const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(a.db);
        assert.deepEqual(rows.rows.map((r) => r.name), ['0001-initial', '0002-login-failures-index', '0003-fleet-rollups', '0004-login-slots']);
        const jit = await sql<{ jit: string }>`show jit`.execute(a.db);
        assert.equal(jit.rows[0]?.jit, 'off', 'the pool runs without JIT');
        await a.addUser('first', 'admin', 'a long enough password', { kind: 'system', id: null, name: 'test' });
        assert.equal(await b.countUsers(), 1);
        await Promise.all([a.migrate(), b.migrate()]);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    } finally {
      await t.dispose();
    }
  });
});
