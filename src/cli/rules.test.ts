// `exhunt rules check`: PASS / WARN / FAIL per file and the exit codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.js';
import { runRulesCheck } from './rules.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = join(ROOT, 'test/fixtures/rules/check');

async function run(paths: string[], format = 'text'): Promise<{ out: string; code: number }> {
  let out = '';
  const code = await runRulesCheck(paths, format, (s) => {
    out += s;
  });
  return { out, code };
}

void test('rules check: per-file status, diagnostics with caret, exit 1 on FAIL', async () => {
  const { out, code } = await run([DIR]);
  assert.equal(code, 1);
  assert.match(out, /^PASS \S*\/sigma-ok\.yml \(YAML, 1 rule\)$/m);
  assert.match(out, /^FAIL \S*\/sigma-unknown-identifier\.yml/m);
  assert.match(out, /sigma-unknown-identifier\.yml:8:28: error\[E202\]: unknown search identifier `other`/);
  assert.match(out, /\| {28}\^/);
  assert.match(out, /^WARN \S*\/sigma-warn-unmapped\.yml/m);
  assert.match(out, /^(PASS|WARN) \S*\/ok\.yar/m);
  assert.match(out, /^(FAIL|WARN) \S*\/bad\.yar/m);
  assert.doesNotMatch(out, /notes\.txt/);
  assert.match(out, /6 file\(s\)|5 file\(s\)/);
});

void test('rules check --format json lists every file with its diagnostics', async () => {
  const { out } = await run([`${DIR}/sigma-unknown-identifier.yml`], 'json');
  const doc = JSON.parse(out) as { files: { status: string; diagnostics: { code: string; line: number }[] }[] };
  assert.equal(doc.files[0]?.status, 'FAIL');
  assert.deepEqual(doc.files[0]?.diagnostics.map((d) => [d.code, d.line]), [['E202', 8]]);
});

void test('rules check: the built-in rules all pass', async () => {
  const { out, code } = await run([join(ROOT, 'content/rules/logs')]);
  assert.equal(code, 0, out);
  assert.doesNotMatch(out, /^(FAIL|WARN)/m);
});

void test('rules check: a missing path cannot run (UsageError → exit 2)', async () => {
  await assert.rejects(run(['no/such/dir']), UsageError);
});
