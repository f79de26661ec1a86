// bin/exhunt.js: evidence commands run in a child started with the V8 settings when the file is
// run as `node bin/exhunt.js`; either way the output, exit code and signals are the CLI's own.
// Needs dist/ (npm install builds it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { DEFAULT_V8_FLAGS } from '../bin/v8-flags.js';

const BIN = fileURLToPath(new URL('../bin/exhunt.js', import.meta.url));
const LOGS = fileURLToPath(new URL('./fixtures/logs', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)));

function run(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

void test('an evidence command gives the same output and exit code with and without the child process', { skip: !built && 'dist/ not built' }, () => {
  const args = ['hunt', 'logs', LOGS, '--format', 'jsonl', '--quiet'];
  const child = run(args);
  const direct = run(args, { EXHUNT_NO_RESPAWN: '1' });
  assert.equal(child.status, direct.status);
  assert.ok(child.status === 0 || child.status === 1, child.stderr);
  assert.equal(child.stdout, direct.stdout);
  assert.ok(child.stdout.length > 0, 'the fixture logs give findings');
});

void test('a usage error keeps its exit code and message through the child process', { skip: !built && 'dist/ not built' }, () => {
  const r = run(['hunt', 'logs', '/nonexistent/exhunt-bin-test']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /none of the paths exists/);
});

void test('a signal to the parent ends the child, and the parent ends by it', { skip: !built && 'dist/ not built' }, async () => {
  // `parse` of a 50 GB sparse log (a header, then holes read as zeros) runs until it is killed
  // (a FIFO would be refused: parse reads regular files only).
  const big = `/tmp/exhunt-bin-test-${process.pid}.log`;
  writeFileSync(big, '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time cs-uri-stem\r\n');
  truncateSync(big, 50 * 1024 ** 3);
  try {
    const p = spawn(process.execPath, [BIN, 'parse', big], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1500));
    p.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => p.once('exit', (c, s) => r([c, s])));
    assert.equal(code, null);
    assert.equal(signal, 'SIGTERM');
    const left = spawnSync('pgrep', ['-f', big], { encoding: 'utf8' }).stdout.trim();
    assert.equal(left, '', 'no child left running');
  } finally {
    spawnSync('rm', ['-f', big]);
  }
});

void test('every default V8 flag is known to this Node', () => {
  const listed = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  for (const flag of DEFAULT_V8_FLAGS) {
    const name = flag.replace(/^--/, '').replace(/=.*$/, '');
    assert.ok(listed.includes(`--${name} `), `${flag} is not in \`node --v8-options\` of ${process.version}`);
    const r = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${process.version} refuses ${flag}: ${r.stderr}`);
  }
});

void test('a V8 flag this Node refuses: a warning, and the command runs without the flags', { skip: !built && 'dist/ not built' }, () => {
  const args = ['hunt', 'logs', LOGS, '--format', 'jsonl', '--quiet'];
  const direct = run(args, { EXHUNT_NO_RESPAWN: '1' });
  const refused = run(args, { EXHUNT_V8_FLAGS: '--exhunt-no-such-v8-flag=1 --single-threaded-gc' });
  assert.equal(refused.status, direct.status);
  assert.equal(refused.stdout, direct.stdout);
  assert.match(refused.stderr, /refused the V8 options --exhunt-no-such-v8-flag=1/);
});
