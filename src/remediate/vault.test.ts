/** The vault: chained manifest, tamper detection by verify (edit, delete, reorder), torn-line repair, restore. */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_FILES, fileFinding, makeTree, sha256, tempDir, writeReport } from '../../test/fixtures/remediate/tree.js';
import { runQuarantine } from '../cli/quarantine.js';
import { canonicalJson } from './manifest.js';
import type { CrashHook } from './crash-hook.js';
import { Vault } from './vault.js';
import { listVault, verifyVault } from './verify.js';

const NO_HOOK: CrashHook = { step: () => undefined };
const WHO = { operator: 'tester', host: 'test-host' };

async function filledVault(): Promise<{ root: string; vault: string }> {
  const root = makeTree();
  const vault = path.join(tempDir('vault'), 'v');
  const report = writeReport(root, DEFAULT_FILES.map((f) => fileFinding(f)));
  const code = await runQuarantine(report, { vault, apply: true, force: false, format: 'text', operator: 'tester' }, () => undefined);
  assert.equal(code, 0);
  return { root, vault };
}

const manifestOf = (vault: string): string => path.join(vault, 'manifest.jsonl');

test('canonical JSON sorts keys at every level and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: undefined } }), '{"a":{"d":[2,{"y":null,"z":1}]},"b":1}');
});

test('a filled vault verifies; objects are gzip with no original name or extension; folder is 0700', async () => {
  const { vault } = await filledVault();
  const r = await verifyVault(vault);
  assert.deepEqual(r.problems, []);
  assert.equal(r.entries, 3);
  assert.equal(statSync(vault).mode & 0o777, 0o700);
  const list = await listVault(vault);
  for (const item of list) {
    const obj = path.join(vault, 'objects', `${item.sha256}.gz`);
    assert.equal(sha256(gunzipSync(readFileSync(obj))), item.sha256);
    assert.ok(!/\.aspx|\.dmp/i.test(readFileSync(obj).toString('latin1')), 'no original name inside the gzip header');
  }
  assert.deepEqual(Object.keys(list[0] ?? {}).sort(), ['evidencePath', 'findingId', 'id', 'originalPath', 'quarantinedAt', 'restoredAt', 'ruleId', 'sha256', 'size']);
});

test('verify names the line of an edited byte', async () => {
  const { vault } = await filledVault();
  const text = readFileSync(manifestOf(vault), 'utf8');
  const lines = text.split('\n');
  lines[1] = (lines[1] ?? '').replace('"size":', '"size":1');
  writeFileSync(manifestOf(vault), lines.join('\n'));
  const r = await verifyVault(vault);
  assert.equal(r.problems[0]?.line, 2);
  assert.match(r.problems[0]?.message ?? '', /hash mismatch|object .* does not match/);
});

test('verify detects a deleted line and reordered lines', async () => {
  const { vault } = await filledVault();
  const lines = readFileSync(manifestOf(vault), 'utf8').split('\n');
  writeFileSync(manifestOf(vault), [lines[0], lines[2], ''].join('\n'));
  const deleted = await verifyVault(vault);
  assert.equal(deleted.problems[0]?.line, 2);
  assert.match(deleted.problems[0]?.message ?? '', /chain broken/);
  assert.equal(deleted.warnings.length, 1, 'the object of the deleted entry is reported');
  writeFileSync(manifestOf(vault), [lines[1], lines[0], lines[2], ''].join('\n'));
  const reordered = await verifyVault(vault);
  assert.equal(reordered.problems[0]?.line, 1);
});

test('verify detects a tampered object', async () => {
  const { vault } = await filledVault();
  const [item] = await listVault(vault);
  assert.ok(item);
  writeFileSync(path.join(vault, 'objects', `${item.sha256}.gz`), Buffer.from('not gzip'));
  const r = await verifyVault(vault);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]?.message ?? '', /missing or unreadable/);
});

test('a torn last line is reported by verify and repaired, with a note, by the next writer', async () => {
  const { vault } = await filledVault();
  writeFileSync(manifestOf(vault), `${readFileSync(manifestOf(vault), 'utf8')}{"type":"quarant`);
  const before = await verifyVault(vault);
  assert.equal(before.problems.length, 1);
  assert.match(before.problems[0]?.message ?? '', /incomplete line/);
  assert.equal(before.problems[0]?.line, 4);
  const v = await Vault.openForWrite(vault, NO_HOOK);
  try {
    assert.match((await v.repairTorn(WHO)) ?? '', /repaired the manifest/);
  } finally {
    await v.close();
  }
  const after = await verifyVault(vault);
  assert.deepEqual(after.problems, []);
  const last = readFileSync(manifestOf(vault), 'utf8').trim().split('\n').pop() ?? '';
  assert.equal((JSON.parse(last) as { type: string }).type, 'note');
});

test('a writer refuses a vault whose manifest fails verification', async () => {
  const { vault } = await filledVault();
  const lines = readFileSync(manifestOf(vault), 'utf8').split('\n');
  writeFileSync(manifestOf(vault), [lines[1], lines[0], lines[2], ''].join('\n'));
  await assert.rejects(Vault.openForWrite(vault, NO_HOOK), /fails verification at line 1/);
});

test('a writer refuses a non-empty folder that is not a vault', async () => {
  const dir = tempDir('notvault');
  writeFileSync(path.join(dir, 'notes.txt'), 'x');
  await assert.rejects(Vault.openForWrite(dir, NO_HOOK), /neither empty nor a vault/);
});
