/**
 * End to end: `exhunt scope` on the scope fixture tree (test/fixtures/scope/tree.ts), through
 * the real CLI (runCli from support/cli.ts).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';
import { buildScopeTree, ATTACKER } from '../fixtures/scope/tree.js';
import { validateReport } from '../../src/findings/schema.js';
import type { Report } from '../../src/findings/types.js';
import type { ScopeSection } from '../../src/engines/scope/types.js';

function runScope(args: readonly string[]): Promise<CliResult> {
  return runCli(['scope', ...args]);
}

let root = '';
before(async () => {
  root = await buildScopeTree();
});

test('json: exit 1, a valid report with a scope section; benign users absent', async () => {
  const r = await runScope([root, '--format', 'json', '--as-of', '2026-11-27']);
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as Report;
  assert.deepEqual(validateReport(doc), []);
  const scope = doc['scope'] as ScopeSection;
  assert.deepEqual(scope.attackers.map((a) => a.address), [ATTACKER]);
  const names = scope.mailboxes.map((m) => m.mailbox);
  assert.ok(names.includes('ceo@corp.example') && names.includes('cfo@corp.example'));
  assert.ok(!names.some((m) => m.includes('j.doe')));
  assert.equal(scope.mailboxes.find((m) => m.mailbox === 'ceo@corp.example')?.exported, true);
  assert.ok(doc.findings.some((f) => f.category === 'exfiltration' && f.severity === 'high'));
});

test('text: per mailbox and per attacker address, the gaps said plainly, hostile strings escaped', async () => {
  const r = await runScope([root, '--as-of', '2026-11-27']);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /\u001b/);
  assert.match(r.stdout, /Per attacker identity:\n {2}address 203\.0\.113\.17/);
  assert.match(r.stdout, /Per mailbox:\n {2}ceo@corp\.example — EXPORTED/);
  assert.match(r.stdout, /logs cannot answer for/);
  assert.match(r.stdout, /evilbox@corp\.example/);
});

test('html report carries the scope, escaped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-scope-e2e-'));
  const out = join(dir, 'r.html');
  const r = await runScope([root, '--format', 'html', '--output', out, '--quiet']);
  assert.equal(r.code, 1, r.stderr);
  const page = await readFile(out, 'utf8');
  assert.match(page, /Scope of the compromise/);
  assert.doesNotMatch(page, /<script|\u001b/i);
  await rm(dir, { recursive: true });
});

test('bad --suspect-ip: one line on stderr, exit 2', async () => {
  const r = await runScope([root, '--suspect-ip', 'not-an-ip']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /--suspect-ip/);
  assert.equal(r.stdout, '');
});
