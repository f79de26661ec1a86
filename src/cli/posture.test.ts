/** `exhunt posture` and `exhunt kb` wired into a fresh commander program (no program.ts needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerPosture } from './posture.js';
import { registerKb } from './kb.js';

async function run(args: string[]): Promise<number> {
  const program = new Command('exhunt').exitOverride();
  registerPosture(program);
  registerKb(program);
  process.exitCode = 0;
  await program.parseAsync(['node', 'exhunt', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return code;
}

void test('posture --build writes a JSON report whose posture follows the contract', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'exhunt-posture-')), 'r.json');
  const code = await run(['posture', '--build', '15.02.0792.010', '--format', 'json', '--output', out, '--as-of', '2021-04-20', '--directive', 'ED-21-02-SDv2', '--quiet']);
  assert.equal(code, 1);
  const r = JSON.parse(readFileSync(out, 'utf8')) as { target: { root: string }; posture: Record<string, unknown>; findings: { ruleId: string }[] };
  assert.equal(r.target.root, 'build:15.2.792.10');
  assert.equal(r.posture.build, '15.2.792.10');
  assert.equal(r.posture.cu, 'CU8');
  assert.equal(r.posture.su, 'Mar21SU');
  assert.equal(r.posture.buildSource, 'option');
  assert.ok((r.posture.openCves as string[]).includes('CVE-2021-34473'));
  assert.ok(r.findings.some((f) => f.ruleId === 'posture.directive.ED-21-02-SDv2'));
});

void test('posture text output has the human view; a fully patched SE build exits 0 at --fail-on high', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'exhunt-posture-')), 'r.txt');
  const code = await run(['posture', '--build', '15.2.2562.53', '--output', out, '--fail-on', 'high', '--as-of', '2026-11-27']);
  assert.equal(code, 0);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /Exchange Server Subscription Edition RTM Sep26SUv2/);
  assert.match(text, /Open CVEs: 0/);
  assert.match(text, /Fixed only when configured/);
});

void test('posture without a build or root is a usage error (exit 2)', async () => {
  const saved = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true);
  try {
    assert.equal(await run(['posture']), 2);
    assert.equal(await run(['posture', '--build', '15.2.792.10', '--directive', 'NOPE']), 2);
  } finally {
    process.stderr.write = saved;
  }
});

void test('kb import refuses an older bundle with exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-kbcli-'));
  const saved = { home: process.env.EXHUNT_HOME, err: process.stderr.write.bind(process.stderr) };
  process.env.EXHUNT_HOME = join(dir, 'home');
  let errText = '';
  process.stderr.write = ((s: string) => { errText += s; return true; });
  try {
    const file = join(dir, 'old.json');
    writeFileSync(file, JSON.stringify({ meta: { kbVersion: '1', kbDate: '2000-01-01', schemaVersion: 1, sources: {} }, products: [], builds: {}, updates: [], cves: [] }));
    assert.equal(await run(['kb', 'import', file]), 1);
    assert.match(errText, /refused/);
  } finally {
    process.stderr.write = saved.err;
    if (saved.home === undefined) delete process.env.EXHUNT_HOME;
    else process.env.EXHUNT_HOME = saved.home;
  }
});

void test('posture fits one screen: the verdict and the directive first, the CVE list cut to the most severe; --all lists every one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-posture-'));
  const short = join(dir, 'short.txt');
  const all = join(dir, 'all.txt');
  assert.equal(await run(['posture', '--build', '15.2.792.10', '--output', short, '--as-of', '2026-11-27', '--directive', 'ED-25-02']), 1);
  assert.equal(await run(['posture', '--build', '15.2.792.10', '--output', all, '--as-of', '2026-11-27', '--all']), 1);
  const lines = readFileSync(short, 'utf8').trimEnd().split('\n');
  assert.ok(lines.length <= 55, `${lines.length} lines`);
  assert.match(lines[0] ?? '', /^NOT EXAMINED — /);
  assert.match(lines[1] ?? '', /^EXPOSED — Exchange Server 2019 support ended on 2025-10-14; no security fixes since/);
  assert.ok(lines.findIndex((l) => l.startsWith('Directive: CISA ED 25-02')) < 6, 'the directive verdict is near the top');
  assert.equal(lines.filter((l) => / CVE-\d{4}-\d+ +CVSS/.test(l)).length, 8);
  assert.ok(lines.some((l) => l.includes('... and 99 more (--all lists every one)')));
  assert.equal(lines.filter((l) => / CVE-2021-34473 +CVSS/.test(l)).length, 1, 'the CVE list is printed once');
  assert.ok(lines.every((l) => [...l].length <= 100), 'lines fit the width');
  const full = readFileSync(all, 'utf8');
  assert.equal(full.match(/ CVE-\d{4}-\d+ +CVSS/g)?.length, 107);
  assert.match(full, /ADV190018, CVE-2019-0686/, '--all lists the CVEs published for an out-of-support product');
});

void test('posture: Exchange 2013 CU23 and 2010 SP3 are exposed, a build newer than the KB is unknown; never "nothing to install" in green', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-posture-'));
  for (const [build, head] of [['15.0.1497.48', /^EXPOSED — Exchange Server 2013 support ended/], ['14.3.513.0', /^EXPOSED — Exchange Server 2010 SP3 support ended/], ['15.2.1748.99', /^EXPOSURE UNKNOWN — build 15\.2\.1748\.99 is newer/]] as const) {
    const out = join(dir, `${build}.txt`);
    assert.equal(await run(['posture', '--build', build, '--output', out, '--as-of', '2026-11-27']), 1, build);
    const text = readFileSync(out, 'utf8');
    assert.match(text.split('\n')[1] ?? '', head, build);
  }
});
