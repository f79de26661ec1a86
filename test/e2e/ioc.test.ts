/** End to end: --ioc lists and stored feeds apply to file hashes and paths in a scan. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { ensureExamples, COMPROMISED } from '../support/examples.js';
import type { Report } from '../../src/findings/types.js';

let dir = '';
const SHELL = 'C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/errorEE.aspx';

before(async () => {
  await ensureExamples();
  dir = await mkdtemp(join(tmpdir(), 'exhunt-ioc-'));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function iocPaths(doc: Report): string[] {
  return doc.findings.filter((f) => f.category === 'ioc').map((f) => `${f.ruleId.split(':')[1] ?? ''} ${f.evidence.path}`).sort();
}

test('a hash list and a path pattern given with --ioc find the planted files', async () => {
  const sha = createHash('sha256').update(await readFile(join(COMPROMISED, SHELL))).digest('hex');
  const list = join(dir, 'feed.txt');
  await writeFile(list, `# test feed\n${sha}\n${'0'.repeat(64)}\nC:\\inetpub\\wwwroot\\aspnet_client\\system_web\\*.aspx\n`);
  const r = await runCli(['scan', COMPROMISED, '--ioc', list, '--format', 'json']);
  const doc = JSON.parse(r.stdout) as Report;
  assert.deepEqual(iocPaths(doc), [
    `path C/inetpub/wwwroot/aspnet_client/system_web/Nv3kQw8Z.aspx`,
    `sha256 ${SHELL}`,
  ]);
});

test('an imported feed applies to later scans; indicators that match nothing stay silent', async () => {
  const home = join(dir, 'home');
  const feed = join(dir, 'other.txt');
  await writeFile(feed, `${'a'.repeat(64)}\n198.51.100.250\n`);
  const imp = await runCli(['ioc', 'import', feed, '--name', 'quiet-feed'], { env: { EXHUNT_HOME: home } });
  assert.equal(imp.code, 0, imp.stderr);
  const r = await runCli(['scan', COMPROMISED, '--format', 'json'], { env: { EXHUNT_HOME: home } });
  assert.deepEqual(iocPaths(JSON.parse(r.stdout) as Report), []);
});

test('a malformed --ioc file is an error in the report and the scan goes on', async () => {
  const bad = join(dir, 'bad.json');
  await writeFile(bad, '{"type": "bundle", "objects": [');
  const r = await runCli(['scan', COMPROMISED, '--ioc', bad, '--format', 'json']);
  const doc = JSON.parse(r.stdout) as Report;
  assert.ok(doc.errors.some((e) => e.path.endsWith('bad.json')), JSON.stringify(doc.errors));
  assert.equal(r.code, 1);
});

test('an attacker address from a feed finds its requests in IIS and HttpProxy logs: one finding per address and day', async () => {
  const list = join(dir, 'ips.txt');
  await writeFile(list, '203.0.113.17\n');
  const r = await runCli(['scan', COMPROMISED, '--ioc', list, '--format', 'json']);
  const doc = JSON.parse(r.stdout) as Report;
  const hits = doc.findings.filter((f) => f.category === 'ioc' && f.evidence.kind === 'log');
  assert.equal(hits.length, 1, JSON.stringify(hits.map((f) => f.evidence.path)));
  // 5 IIS lines and 3 HttpProxy lines from 203.0.113.17 on 2021-03-03.
  assert.equal(hits[0]?.count, 8);
  assert.equal(hits[0]?.evidence.clientIp, '203.0.113.17');
  const raw = await runCli(['scan', COMPROMISED, '--ioc', list, '--format', 'json', '--raw']);
  const lines = (JSON.parse(raw.stdout) as Report).findings.filter((f) => f.category === 'ioc' && f.evidence.kind === 'log');
  assert.equal(lines.length, 8);
  assert.ok(lines.some((f) => f.evidence.path.includes('HttpProxy/Ecp') && f.evidence.line === 7));
});
