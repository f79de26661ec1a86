/**
 * Hostile input to `parse`: C1 and bidi controls in a log come out escaped (as in
 * `scan --format json`), and what is not a regular file (a FIFO, /dev/zero) is refused at once
 * with a coded error instead of blocking or reading forever. Each run is bounded by a timeout.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

let dir = '';
const BOUND = { timeout: 60_000 };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhunt-hostile-parse-'));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('parse writes C1 and bidi controls as \\u escapes; the parsed values are unchanged', BOUND, async () => {
  const ua = 'Mozilla\u0085x\u009b31m\u202egpj.aspx\u2066y';
  const log = join(dir, 'u_ex210304.log');
  await writeFile(log, [
    '#Software: Microsoft Internet Information Services 10.0',
    '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
    `2021-03-04 01:00:00 10.10.0.5 GET /owa/ - 443 - 203.0.113.17 ${ua} - 200 0 0 9`,
    '',
  ].join('\r\n'));
  const r = await runCli(['parse', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/, 'no raw C1 or bidi character');
  assert.match(r.stdout, /\\u0085/);
  assert.match(r.stdout, /\\u202e/);
  const rec = JSON.parse(r.stdout.trim().split('\n')[0] ?? '') as { fields: Record<string, string> };
  assert.equal(rec.fields['cs(User-Agent)'], ua);
});

test('parse refuses a FIFO with a coded error instead of blocking', BOUND, async (t) => {
  const fifo = join(dir, 'pipe.log');
  if (spawnSync('mkfifo', [fifo]).status !== 0 || !existsSync(fifo)) {
    t.skip('mkfifo is not available');
    return;
  }
  const r = await runCli(['parse', fifo]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /FIFO, not a regular file.*\[not-a-file\]/);
});

test('parse refuses /dev/zero with a coded error instead of reading forever', BOUND, async (t) => {
  if (!existsSync('/dev/zero')) {
    t.skip('no /dev/zero on this platform');
    return;
  }
  const r = await runCli(['parse', '/dev/zero']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /character device, not a regular file.*\[not-a-file\]/);
});
