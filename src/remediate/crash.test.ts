/**
 * Crash safety of `exhunt quarantine --apply`: the real command runs as a child process and is
 * killed with SIGKILL at every step boundary in turn (EXHUNT_CRASH_AT=N). After each kill every
 * file is still in place or in the vault with a complete entry; a re-run without the hook
 * finishes the job: every file in the vault once, none left, the chain intact.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_FILES, fileFinding, makeTree, sha256, tempDir, writeReport } from '../../test/fixtures/remediate/tree.js';
import { readManifest } from './manifest.js';
import { objectIntact } from './objects.js';
import type { QuarantinedEntry } from './types.js';
import { listVault, verifyVault } from './verify.js';
import { runQuarantine } from '../cli/quarantine.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(REPO, 'test/fixtures/remediate/cli-entry.ts');
/** Two files (a web shell and a dump) keep the run short: each step costs two CLI start-ups. */
const FILES = DEFAULT_FILES.filter((f) => f.category === 'artifact' || f.rel.includes('/owa/'));

function runCli(args: readonly string[], crashAt: number | null): { status: number | null; signal: NodeJS.Signals | null; stderr: string } {
  const env = { ...process.env };
  delete env.EXHUNT_CRASH_AT;
  if (crashAt !== null) Object.assign(env, { EXHUNT_CRASH_AT: String(crashAt), EXHUNT_TEST: '1' });
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: REPO, env, encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

async function quarantinedEntries(vault: string): Promise<QuarantinedEntry[]> {
  const state = await readManifest(path.join(vault, 'manifest.jsonl'));
  return state.entries.filter((e): e is QuarantinedEntry => e.type === 'quarantined');
}

/** Every file is either at its place with its bytes, or in the vault with a complete, verified entry. */
async function assertInvariant(root: string, vault: string, label: string): Promise<void> {
  const entries = await quarantinedEntries(vault);
  for (const f of FILES) {
    const abs = path.join(root, ...f.rel.split('/'));
    const inPlace = existsSync(abs) && sha256(readFileSync(abs)) === sha256(f.content);
    const entry = entries.find((e) => e.originalPath.abs === abs && e.sha256 === sha256(f.content));
    const inVault = entry !== undefined && (await objectIntact(vault, entry.object, entry.sha256));
    assert.ok(inPlace || inVault, `${label}: ${f.rel} is neither in place nor in the vault`);
  }
}

test('SIGKILL at every step of a multi-file quarantine loses nothing; a re-run finishes the job', { timeout: 900_000 }, async () => {
  let completedAt: number | null = null;
  let repairs = 0;
  for (let n = 1; n <= 60 && completedAt === null; n++) {
    const root = makeTree(FILES);
    const vault = path.join(tempDir('vault'), 'v');
    const report = writeReport(root, FILES.map((f) => fileFinding(f)));
    const args = ['quarantine', report, '--vault', vault, '--apply', '--operator', 'crash-test'];
    const crashed = runCli(args, n);
    if (crashed.signal !== 'SIGKILL') {
      assert.equal(crashed.status, 0, `run ${n} ended without being killed but failed: ${crashed.stderr}`);
      completedAt = n;
    } else {
      assert.match(crashed.stderr, new RegExp(`EXHUNT_CRASH_AT=${n}: killed at step`));
      await assertInvariant(root, vault, `after kill at step ${n}`);
    }
    const rerun = runCli(args, null);
    assert.equal(rerun.status, 0, `re-run after kill at step ${n} failed: ${rerun.stderr}`);
    if (rerun.stderr.includes('repaired the manifest')) repairs += 1;
    for (const f of FILES) assert.ok(!existsSync(path.join(root, ...f.rel.split('/'))), `step ${n}: ${f.rel} left in place`);
    const entries = await quarantinedEntries(vault);
    assert.equal(entries.length, FILES.length, `step ${n}: expected one entry per file`);
    assert.equal(new Set(entries.map((e) => `${e.sha256}\0${e.originalPath.abs}`)).size, FILES.length, `step ${n}: duplicate entries`);
    const v = await verifyVault(vault);
    assert.deepEqual(v.problems, [], `step ${n}: vault does not verify`);
    assert.deepEqual(v.warnings, [], `step ${n}: stray objects`);
    rmSync(root, { recursive: true, force: true });
  }
  assert.ok(completedAt !== null && completedAt > FILES.length * 5, `expected several steps per file, completed at ${String(completedAt)}`);
  assert.ok(repairs >= FILES.length, 'torn manifest lines were repaired with a note');
});

test('SIGKILL at every step of a restore leaves the path empty or complete; a re-run finishes it once', { timeout: 600_000 }, async () => {
  const file = FILES[0];
  assert.ok(file);
  let completedAt: number | null = null;
  for (let n = 1; n <= 20 && completedAt === null; n++) {
    const root = makeTree([file]);
    const vault = path.join(tempDir('vault'), 'v');
    const report = writeReport(root, [fileFinding(file)]);
    assert.equal(await runQuarantine(report, { vault, apply: true, force: false, format: 'json', operator: 't' }, () => undefined), 0);
    const [item] = await listVault(vault);
    assert.ok(item);
    const target = path.join(root, ...file.rel.split('/'));
    const args = ['restore', item.id, '--vault', vault, '--operator', 'crash-test'];
    const crashed = runCli(args, n);
    if (crashed.signal !== 'SIGKILL') {
      assert.equal(crashed.status, 0, crashed.stderr);
      completedAt = n;
    } else if (existsSync(target)) {
      assert.equal(sha256(readFileSync(target)), sha256(file.content), `kill at ${n}: a partial file at the original path`);
    }
    const rerun = runCli(args, null);
    assert.equal(rerun.status, 0, `re-run after kill at step ${n} failed: ${rerun.stderr}`);
    assert.equal(sha256(readFileSync(target)), sha256(file.content));
    const restored = (await readManifest(path.join(vault, 'manifest.jsonl'))).entries.filter((e) => e.type === 'restored');
    assert.equal(restored.length, 1, `step ${n}: one restored entry`);
    assert.deepEqual((await verifyVault(vault)).problems, []);
    assert.deepEqual(readdirSync(path.dirname(target)).filter((x) => x.startsWith('.exhunt-restore-')), [], `step ${n}: temporary file left`);
    rmSync(root, { recursive: true, force: true });
  }
  assert.ok(completedAt !== null && completedAt >= 4, `expected several restore steps, completed at ${String(completedAt)}`);
});
