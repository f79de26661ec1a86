// A reader that closes the pipe (`exhunt parse x.log | head`) ends every command that writes to
// stdout quietly, with exit code 0 and nothing on stderr (src/cli/closed-pipe.ts).
// Needs dist/ (npm install builds it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const BIN = fileURLToPath(new URL('../bin/exhunt.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'compromised-e2019');
const built = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));

const dir = mkdtempSync(join(tmpdir(), 'exhunt-closed-pipe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An IIS log large enough that its output cannot fit in a pipe's buffer. */
function bigLog(): string {
  const p = join(dir, 'u_ex210303.log');
  const line = '2021-03-03 06:49:42 10.0.0.5 POST /ecp/y.js - 443 - 203.0.113.7 python-requests/2.25.1 - 200 0 0 15\n';
  writeFileSync(p, `#Software: Microsoft Internet Information Services 10.0\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n${line.repeat(20000)}`);
  return p;
}

/** Runs the CLI with its stdout closed by the reader before anything was read. */
function runClosed(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

void test('every command that writes to stdout ends quietly with 0 when the reader closes the pipe', { skip: !built && 'dist/ not built' }, async () => {
  const log = bigLog();
  const commands: string[][] = [
    ['parse', log],
    ['hunt', 'logs', log, '--raw', '--format', 'jsonl'],
    ['hunt', 'logs', log],
    ['scan', EXAMPLE, '--format', 'json'],
    ['scan', EXAMPLE],
    ['scope', EXAMPLE],
    ['timeline', EXAMPLE, '--format', 'csv'],
    ['posture', '--build', '15.2.792.3'],
    ['kb', 'info'],
    ['rules', 'check', join(ROOT, 'content', 'rules', 'logs')],
    ['hunt', 'files', join(EXAMPLE, 'C')],
    ['--help'],
  ];
  for (const args of commands) {
    const r = await runClosed(args);
    assert.deepEqual([r.code, r.signal, r.stderr], [0, null, ''], `exhunt ${args.join(' ')}`);
  }
});
