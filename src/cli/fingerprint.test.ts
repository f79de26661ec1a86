/** `exhunt fingerprint` wired into a fresh commander program against the local fake Exchange. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { makeCert, startFake, type FakeServer } from '../../test/fixtures/fingerprint/fake-exchange.js';
import { validateReport } from '../findings/schema.js';
import { registerFingerprint } from './fingerprint.js';
import type { Report } from '../findings/types.js';
import { startFakeFleet } from '../agent/testing/fake-fleet.js';

let ex2019: FakeServer;
let plain: FakeServer;
const dir = mkdtempSync(join(tmpdir(), 'exhunt-fp-cli-'));

before(async () => {
  const pair = makeCert(20);
  ex2019 = await startFake({ logon: { file: 'logon-2016.html', build: '15.2.1748.46' }, current: '15.2.1748.46' }, pair);
  plain = await startFake({}, pair);
});
after(async () => { await Promise.all([ex2019.close(), plain.close()]); });

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const program = new Command('exhunt').exitOverride();
  assert.deepEqual(registerFingerprint(program), ['fingerprint']);
  const saved = process.stderr.write.bind(process.stderr);
  let err = '';
  process.stderr.write = (s: string | Uint8Array): boolean => { err += String(s); return true; };
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'exhunt', 'fingerprint', ...args]);
  } finally {
    process.stderr.write = saved;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, err };
}

const FAST = ['--timeout', '3', '--retries', '0', '--proxy', 'http://127.0.0.1:9'];

void test('json report: one object per target, validates, exit 1 on open CVEs', async () => {
  const out = join(dir, 'r.json');
  const list = join(dir, 'targets.txt');
  writeFileSync(list, `# estate\n${plain.url}\n\n`);
  const noProxy = FAST.slice(0, 4);
  const { code } = await run([ex2019.url, '--targets', list, '--insecure', ...noProxy, '--format', 'json', '--output', out, '--as-of', '2026-11-27', '--quiet']);
  const r = JSON.parse(readFileSync(out, 'utf8')) as { target: { kind: string }; targets: { build: string | null; buildMethod: string | null; error: { kind: string } | null }[]; errors: unknown[] };
  assert.deepEqual(validateReport(r), []);
  assert.equal(r.target.kind, 'remote');
  assert.equal(r.targets.length, 2);
  assert.equal(r.targets[0]?.build, '15.2.1748.46');
  assert.equal(r.targets[0]?.buildMethod, 'ecp-manifest');
  assert.equal(r.targets[1]?.error?.kind, 'not-exchange');
  assert.equal(code, 1); // 2019 is out of support as of 2026-11-27: high finding
  for (const s of [ex2019, plain]) {
    assert.deepEqual(s.violations, []);
    for (const q of s.requests) {
      assert.equal(q.method, 'GET');
      assert.ok(/^\/(owa|ecp)\//.test(q.url) && !/[?@]|autodiscover/i.test(q.url), q.url);
      assert.ok(!q.headerNames.some((h) => /cookie|authorization|^x-/i.test(h)), q.headerNames.join());
    }
  }
});

void test('text output: one line per target with build, product, CVEs and cert', async () => {
  const out = join(dir, 'r.txt');
  const { code } = await run([ex2019.url, 'https://nowhere.invalid', '--insecure', ...FAST.slice(0, 4), '--output', out, '--as-of', '2026-11-27']);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /127\.0\.0\.1:\d+\s+15\.2\.1748\.46 \(ecp-manifest\)\s+Exchange Server 2019 CU15 Jun26SU, unsupported\s+\d+ open CVEs? \(\d+ exploited\)\s+cert (19|20) days left \(untrusted\)/);
  assert.match(text, /nowhere\.invalid\s+error: dns:/);
  assert.equal(code, 1);
});

void test('every target unreachable: exit 2; --upload needs a token; bad input is a usage error', async () => {
  assert.equal((await run(['https://a.invalid', ...FAST.slice(0, 4), '--format', 'json', '--output', join(dir, 'x.json')])).code, 2);
  const saved = process.env.EXHUNT_TOKEN;
  delete process.env.EXHUNT_TOKEN;
  const seen = ex2019.requests.length;
  const up = await run([ex2019.url, '--upload', 'https://fleet.example']);
  if (saved !== undefined) process.env.EXHUNT_TOKEN = saved;
  assert.equal(up.code, 2);
  assert.match(up.err, /--upload: give --token TOKEN/);
  assert.equal(ex2019.requests.length, seen, 'nothing probed when the upload options are wrong');
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['ftp://x'])).code, 2);
  assert.match((await run([ex2019.url, '--proxy', 'https://p:1'])).err, /only http:\/\/ proxies/);
  assert.match((await run([ex2019.url, '--concurrency', '0'])).err, /--concurrency/);
});

void test('--upload posts one report per Exchange target (remote, its host, its posture); others are not uploaded', async () => {
  const fleet = await startFakeFleet();
  fleet.tokens.add('exu_fp');
  const port = new URL(ex2019.url).port;
  const viaName = `https://localhost:${port}`;
  const { code, err } = await run([ex2019.url, viaName, plain.url, 'https://nowhere.invalid', '--insecure', ...FAST.slice(0, 4),
    '--format', 'json', '--output', join(dir, 'up.json'), '--as-of', '2026-11-27', '--upload', fleet.url, '--token', 'exu_fp']);
  assert.equal(code, 1);
  assert.equal(fleet.stored.length, 2);
  assert.deepEqual(fleet.requests.map((q) => q.query.server), ['127.0.0.1', 'localhost']);
  for (const q of fleet.requests) {
    assert.equal(q.query.source, 'fingerprint');
    assert.equal(q.authorization, 'Bearer exu_fp');
  }
  const sent = fleet.stored.map((s) => JSON.parse(s.body.toString('utf8')) as Report);
  assert.deepEqual(sent.map((r) => [r.target.kind, r.target.hostname]), [['remote', '127.0.0.1'], ['remote', 'localhost']]);
  assert.ok(sent.every((r) => r.posture?.build === '15.2.1748.46' && r.targets?.length === 1 && validateReport(r).length === 0));
  assert.match(err, /nowhere\.invalid: not uploaded: unreachable \(dns\)/);
  assert.match(err, /127\.0\.0\.1: not uploaded: not Exchange/);
  fleet.script(500, 500, 500);
  const failed = await run([ex2019.url, '--insecure', ...FAST.slice(0, 4), '--format', 'json', '--output', join(dir, 'up2.json'), '--upload', fleet.url, '--token', 'exu_fp']);
  assert.equal(failed.code, 2);
  assert.match(failed.err, /upload failed: HTTP 500/);
  await fleet.close();
});
