/**
 * `exhunt user add|list` end to end: the real CLI (src/cli/main.ts through tsx) with a temporary
 * EXHUNT_HOME, the password on stdin; the user lands in $EXHUNT_HOME/server/fleet.sqlite.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../server/store/open.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string }

function cli(home: string, args: readonly string[], stdin: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, EXHUNT_HOME: home, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(stdin);
  });
}

describe('exhunt user', () => {
  const home = mkdtempSync(join(tmpdir(), 'exhunt-user-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const password = 'twelve chars and more';

  it('adds the first admin with the password from stdin (first line only)', async () => {
    const r = await cli(home, ['user', 'add', 'alice', '--role', 'admin'], `${password}\nignored second line\n`);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Added user "alice" \(role admin\) to .*fleet\.sqlite\.\n$/);
    assert.equal(statSync(join(home, 'server')).mode & 0o777, 0o700);
    const store = await openStore({ dataDir: join(home, 'server') });
    try {
      assert.equal((await store.verifyPassword('alice', password))?.role, 'admin');
      assert.equal(await store.verifyPassword('alice', 'ignored second line'), null);
      const audit = await store.listAudit({ limit: 5, offset: 0, targetKind: 'user' });
      assert.equal(audit.items[0]?.action, 'user.added');
      assert.match(audit.items[0]?.actorName ?? '', /^cli:/);
    } finally {
      await store.close();
    }
  });

  it('refuses an existing name (any case) and a short password, changing nothing', async () => {
    const dup = await cli(home, ['user', 'add', 'ALICE', '--role', 'viewer'], `${password}\n`);
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /already exists/);
    const short = await cli(home, ['user', 'add', 'bob', '--role', 'viewer'], 'short\n');
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 12 characters/);
    const badRole = await cli(home, ['user', 'add', 'bob', '--role', 'root'], `${password}\n`);
    assert.equal(badRole.code, 2);
  });

  it('lists the users', async () => {
    const r = await cli(home, ['user', 'list', '--format', 'json'], '');
    assert.equal(r.code, 0);
    const users = JSON.parse(r.stdout) as { name: string; role: string }[];
    assert.deepEqual(users.map((u) => [u.name, u.role]), [['alice', 'admin']]);
    const text = await cli(home, ['user', 'list'], '');
    assert.match(text.stdout, /^alice\s+admin\s+created /);
  });
});
