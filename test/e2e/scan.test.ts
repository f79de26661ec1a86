/** End to end: the real CLI on the example evidence trees, every report format, exit codes. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { ensureExamples, COMPROMISED, CLEAN } from '../support/examples.js';
import { validateReport, validateFinding } from '../../src/findings/schema.js';
import type { Report } from '../../src/findings/types.js';

before(ensureExamples);

test('compromised example: exit 1, findings validate against the schema', async () => {
  const r = await runCli(['scan', COMPROMISED, '--format', 'json', '--as-of', '2026-11-27']);
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as Report;
  assert.deepEqual(validateReport(doc), []);
  assert.equal(doc.target.kind, 'tree');
  const paths = doc.findings.map((f) => f.evidence.path);
  assert.ok(paths.some((p) => p.endsWith('owa/auth/errorEE.aspx')), 'web shell in owa/auth found');
  assert.ok(paths.some((p) => p.startsWith('C/')), 'evidence paths are relative to ROOT, KAPE layout');
  assert.equal(doc.posture?.build, '15.2.792.10');
  assert.equal(doc.posture?.buildSource, 'ExSetup.exe');
  assert.ok(doc.findings.some((f) => f.category === 'exploitation'), 'log traces found');
});

test('clean example: exit 0 and nothing at medium or above', async () => {
  const r = await runCli(['scan', CLEAN, '--format', 'json', '--as-of', '2026-11-27']);
  const doc = JSON.parse(r.stdout) as Report;
  assert.deepEqual(validateReport(doc), []);
  const loud = doc.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity));
  assert.deepEqual(loud.map((f) => `${f.ruleId} ${f.evidence.path}`), []);
  assert.equal(r.code, 0, r.stderr);
});

test('text summary says what was found and why the run exits 1', async () => {
  const r = await runCli(['scan', COMPROMISED, '--as-of', '2026-11-27']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Exit 1/);
  assert.match(r.stdout, /IIS/i);
});

test('jsonl: one valid finding per line; csv and html are written', async () => {
  const jsonl = await runCli(['scan', COMPROMISED, '--format', 'jsonl']);
  const lines = jsonl.stdout.trim().split('\n');
  assert.ok(lines.length > 0);
  for (const line of lines) assert.deepEqual(validateFinding(JSON.parse(line)), []);
  const csv = await runCli(['scan', COMPROMISED, '--format', 'csv']);
  assert.match(csv.stdout.split('\n')[0] ?? '', /^id,severity,/);
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-e2e-'));
  const out = join(dir, 'r.html');
  const html = await runCli(['scan', COMPROMISED, '--format', 'html', '--output', out]);
  assert.equal(html.code, 1);
  const page = await readFile(out, 'utf8');
  assert.match(page, /Content-Security-Policy/);
  assert.doesNotMatch(page, /<script/i);
  await rm(dir, { recursive: true });
});

test('--fail-on critical changes the exit code, not the report', async () => {
  const r = await runCli(['scan', CLEAN, '--fail-on', 'info', '--format', 'json']);
  const doc = JSON.parse(r.stdout) as Report;
  assert.equal(r.code, doc.findings.length > 0 ? 1 : 0);
});

test('bad roots: missing, a file, empty — one line on stderr, exit 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-e2e-'));
  const file = join(dir, 'file.txt');
  await writeFile(file, 'x');
  const empty = join(dir, 'empty');
  await mkdir(empty);
  for (const root of [join(dir, 'missing'), file, empty]) {
    const r = await runCli(['scan', root]);
    assert.equal(r.code, 2, `${root}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
  await rm(dir, { recursive: true });
});

test('usage errors exit 2; --help lists every command; --version prints it', async () => {
  const bad = await runCli(['scan']);
  assert.equal(bad.code, 2);
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  for (const cmd of ['scan', 'posture', 'hunt', 'parse', 'rules', 'fingerprint', 'quarantine', 'restore', 'vault', 'baseline', 'kb', 'ioc', 'report', 'serve', 'agent', 'user']) {
    assert.match(help.stdout, new RegExp(`^  ${cmd}\\b`, 'm'), `--help lists ${cmd}`);
  }
  const v = await runCli(['--version']);
  assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+/);
});
