/**
 * End to end with hostile evidence: an ANSI escape in a user agent, `=HYPERLINK(...)` in a file
 * name, `</script><script>` in file content, a dangling link and a link out of the root. Every
 * sink escapes; problems are listed in `errors` and the scan goes on.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, symlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { ensureExamples, COMPROMISED } from '../support/examples.js';
import type { Report } from '../../src/findings/types.js';

let dir = '';
let root = '';
const AUTH = 'C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth';
const ESC = '\x1b';

before(async () => {
  await ensureExamples();
  dir = await mkdtemp(join(tmpdir(), 'exhunt-hostile-'));
  root = join(dir, 'evidence');
  await cp(COMPROMISED, root, { recursive: true });
  const evil = '=HYPERLINK("x.example","y").aspx';
  // A script page in owa/auth that is not a stock file, whose content carries markup.
  await writeFile(join(root, AUTH, evil), '<%@ Page Language="C#" %></script><script>alert(1)</script>');
  await symlink('/nonexistent/target', join(root, AUTH, 'dangling.aspx'));
  await symlink('/etc', join(root, AUTH, 'escape'));
  const log = join(root, 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log');
  await writeFile(
    log,
    [
      '#Software: Microsoft Internet Information Services 10.0',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
      `2021-03-04 01:00:00 10.10.0.5 POST /owa/auth/errorEE.aspx - 443 - 203.0.113.17 ${ESC}]0;pwned${ESC}\\${ESC}[31mred${ESC}[0m - 200 0 0 9`,
      '',
    ].join('\r\n'),
  );
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('text output carries no escape sequence from the evidence', async () => {
  const r = await runCli(['scan', root]);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(!r.stdout.includes(ESC), 'no ESC byte in the text report');
  assert.ok(!r.stderr.includes(ESC));
});

test('csv neutralises a formula in a file name', async () => {
  const r = await runCli(['scan', root, '--format', 'csv', '--fail-on', 'critical']);
  assert.ok(r.stdout.includes('HYPERLINK'), 'the hostile file is reported');
  for (const line of r.stdout.split('\n')) {
    assert.doesNotMatch(line, /(^|,)"?=HYPERLINK/, 'no cell starts with =');
  }
});

test('html escapes markup from the evidence and runs no script', async () => {
  const out = join(dir, 'r.html');
  await runCli(['scan', root, '--format', 'html', '--output', out]);
  const page = await readFile(out, 'utf8');
  assert.doesNotMatch(page, /<script/i);
  assert.ok(!page.includes(ESC));
});

test('links that dangle or leave the root are errors, and the scan goes on', async () => {
  const r = await runCli(['scan', root, '--format', 'json']);
  const doc = JSON.parse(r.stdout) as Report;
  const errs = doc.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
  assert.match(errs, /dangling\.aspx/);
  assert.match(errs, /escape/);
  assert.ok(doc.findings.some((f) => f.evidence.path.endsWith('errorEE.aspx')), 'other files still scanned');
});
