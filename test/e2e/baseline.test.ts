/** End to end: baseline create on a clean server, then scan a changed copy with --baseline. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { ensureExamples, CLEAN } from '../support/examples.js';
import type { Report } from '../../src/findings/types.js';

let dir = '';
const ECP = 'Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/ecp';
const AUTH = 'Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth';

before(async () => {
  await ensureExamples();
  dir = await mkdtemp(join(tmpdir(), 'exhunt-baseline-'));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function baselineFindings(doc: Report): string[] {
  return doc.findings.filter((f) => f.ruleId.startsWith('exhunt:baseline-')).map((f) => `${f.ruleId} ${f.severity} ${f.evidence.path}`).sort();
}

test('a new page and a changed stock page are reported against the baseline; the rest is quiet', async () => {
  const base = join(dir, 'baseline.json');
  const created = await runCli(['baseline', 'create', CLEAN, '--output', base]);
  assert.equal(created.code, 0, created.stderr);

  const same = await runCli(['scan', CLEAN, '--baseline', base, '--format', 'json']);
  assert.deepEqual(baselineFindings(JSON.parse(same.stdout) as Report), [], 'the clean server itself matches its baseline');

  const copy = join(dir, 'server');
  await cp(CLEAN, copy, { recursive: true });
  await writeFile(join(copy, ECP, 'help.aspx'), '<%@ Page Language="C#" %><html><body>help</body></html>');
  await appendFile(join(copy, AUTH, 'logon.aspx'), '<!-- changed -->\n');
  const r = await runCli(['scan', copy, '--baseline', base, '--format', 'json']);
  assert.deepEqual(baselineFindings(JSON.parse(r.stdout) as Report), [
    `exhunt:baseline-changed-file high ${AUTH}/logon.aspx`,
    `exhunt:baseline-new-file medium ${ECP}/help.aspx`,
  ]);
  assert.equal(r.code, 1);
});

test('a malformed baseline is a clear error and exit 2', async () => {
  const bad = join(dir, 'bad.json');
  await writeFile(bad, '{"format": "something-else", "files": {}}');
  const r = await runCli(['scan', CLEAN, '--baseline', bad]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not an exhunt baseline/);
});
