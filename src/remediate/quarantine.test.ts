/** Quarantine plan/apply/restore on temporary trees: selection, hash mismatch, path escapes, vault location. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  ATIME, DEFAULT_FILES, MTIME, SHELL_A, fileFinding, makeTree, tempDir, writeReport, type TreeFile,
} from '../../test/fixtures/remediate/tree.js';
import { runQuarantine } from '../cli/quarantine.js';
import { runRestore } from '../cli/restore.js';
import { runVaultList, runVaultVerify } from '../cli/vault.js';
import type { Plan, VaultListItem } from './types.js';

type Opts = Parameters<typeof runQuarantine>[1];

async function quarantine(report: string, vault: string, extra: Partial<Opts> = {}): Promise<{ code: number; out: Plan & { results?: { outcome: string; id: string | null }[] } }> {
  let text = '';
  const code = await runQuarantine(report, { vault, apply: false, force: false, format: 'json', operator: 'tester', ...extra }, (s) => (text += s));
  return { code, out: JSON.parse(text) as Plan & { results?: { outcome: string; id: string | null }[] } };
}

async function list(vault: string): Promise<VaultListItem[]> {
  let text = '';
  await runVaultList(vault, { format: 'json' }, (s) => (text += s));
  return JSON.parse(text) as VaultListItem[];
}

const abs = (root: string, rel: string): string => path.join(root, ...rel.split('/'));
const newVault = (): string => path.join(tempDir('vault'), 'v');

test('the plan changes nothing; --apply quarantines; restore puts bytes, mode and times back', async () => {
  const root = makeTree();
  const report = writeReport(root, DEFAULT_FILES.map((f) => fileFinding(f)));
  const vault = newVault();
  const plan = await quarantine(report, vault);
  assert.equal(plan.code, 0);
  assert.deepEqual(plan.out.items.map((i) => i.action), ['quarantine', 'quarantine', 'quarantine']);
  assert.ok(!existsSync(vault), 'a plan does not create the vault');
  for (const f of DEFAULT_FILES) assert.ok(existsSync(abs(root, f.rel)));

  const applied = await quarantine(report, vault, { apply: true });
  assert.equal(applied.code, 0);
  assert.deepEqual(applied.out.results?.map((r) => r.outcome), ['quarantined', 'quarantined', 'quarantined']);
  for (const f of DEFAULT_FILES) assert.ok(!existsSync(abs(root, f.rel)));

  const items = await list(vault);
  const shell = items.find((i) => i.evidencePath === DEFAULT_FILES[0]?.rel);
  assert.ok(shell);
  assert.equal(shell.restoredAt, null);
  assert.equal(await runRestore(shell.id, { vault }, () => undefined), 0);
  const back = abs(root, shell.evidencePath);
  const st = statSync(back);
  assert.equal(st.mtime.getTime(), MTIME.getTime());
  assert.equal(st.atime.getTime(), ATIME.getTime());
  assert.equal(readFileSync(back, 'utf8'), SHELL_A);
  assert.notEqual((await list(vault)).find((i) => i.id === shell.id)?.restoredAt, null);
  assert.equal(await runRestore(shell.id, { vault }, () => undefined), 0, 'same content already there: no-op');
});

test('restore refuses to overwrite a different file now at the path', async () => {
  const root = makeTree();
  const vault = newVault();
  await quarantine(writeReport(root, DEFAULT_FILES.map((f) => fileFinding(f))), vault, { apply: true });
  const [item] = await list(vault);
  assert.ok(item);
  writeFileSync(abs(root, item.evidencePath), 'the legitimate file that replaced it');
  await assert.rejects(runRestore(item.id, { vault }, () => undefined), /different file now occupies/);
  assert.equal(readFileSync(abs(root, item.evidencePath), 'utf8'), 'the legitimate file that replaced it');
});

test('restore --root puts the file back below a moved evidence root', async () => {
  const root = makeTree();
  const vault = newVault();
  await quarantine(writeReport(root, DEFAULT_FILES.map((f) => fileFinding(f))), vault, { apply: true });
  const [item] = await list(vault);
  assert.ok(item);
  const other = makeTree([]);
  assert.equal(await runRestore(item.id.slice(0, 8), { vault, root: other }, () => undefined), 0);
  assert.ok(existsSync(abs(other, item.evidencePath)));
});

test('restore refuses a parent folder replaced by a link out of the root, with or without --root', async () => {
  const root = makeTree();
  const vault = newVault();
  await quarantine(writeReport(root, DEFAULT_FILES.map((f) => fileFinding(f))), vault, { apply: true });
  const [item] = await list(vault);
  assert.ok(item);
  const parent = path.dirname(abs(root, item.evidencePath));
  const outside = tempDir('outside');
  const moved = `${parent}.moved`;
  renameSync(parent, moved);
  symlinkSync(outside, parent);
  await assert.rejects(runRestore(item.id, { vault }, () => undefined), /link/);
  await assert.rejects(runRestore(item.id, { vault, root }, () => undefined), /outside the evidence root/);
  assert.deepEqual(readdirSync(outside), [], 'nothing written outside the root');
  // Put back the real folder: the restore then succeeds.
  rmSync(parent);
  renameSync(moved, parent);
  assert.equal(await runRestore(item.id, { vault }, () => undefined), 0);
  assert.ok(existsSync(abs(root, item.evidencePath)));
});

test('a file whose hash differs from the report is refused unless --force', async () => {
  const root = makeTree();
  const f = DEFAULT_FILES[0] as TreeFile;
  const report = writeReport(root, [fileFinding(f, { sha: 'a'.repeat(64) })]);
  const vault = newVault();
  const refused = await quarantine(report, vault, { apply: true });
  assert.equal(refused.code, 2);
  assert.equal(refused.out.items[0]?.action, 'refuse');
  assert.match(refused.out.items[0]?.reason ?? '', /sha256 differs/);
  assert.ok(existsSync(abs(root, f.rel)));
  const forced = await quarantine(report, vault, { apply: true, force: true });
  assert.equal(forced.code, 0);
  assert.equal(forced.out.results?.[0]?.outcome, 'quarantined');
  assert.ok(!existsSync(abs(root, f.rel)));
});

test('paths that leave the evidence root are refused: .., absolute, links to files and folders outside', async () => {
  const root = makeTree();
  const outside = tempDir('outside');
  writeFileSync(path.join(outside, 'victim.txt'), SHELL_A);
  mkdirSync(path.join(outside, 'dir'));
  writeFileSync(path.join(outside, 'dir', 'x.aspx'), SHELL_A);
  symlinkSync(path.join(outside, 'victim.txt'), abs(root, 'C/inetpub/wwwroot/link.aspx'));
  symlinkSync(path.join(outside, 'dir'), abs(root, 'C/inetpub/wwwroot/linkdir'));
  const shell: TreeFile = { rel: 'x', content: SHELL_A, category: 'webshell' };
  const paths = ['C/../../victim.txt', path.join(outside, 'victim.txt'), 'C/inetpub/wwwroot/link.aspx', 'C/inetpub/wwwroot/linkdir/x.aspx'];
  const report = writeReport(root, paths.map((p) => fileFinding(shell, { path: p })));
  const r = await quarantine(report, newVault(), { apply: true, force: true });
  assert.equal(r.code, 2);
  assert.deepEqual(r.out.items.map((i) => i.action), ['refuse', 'refuse', 'refuse', 'refuse']);
  assert.deepEqual(r.out.items.map((i) => /climbs|absolute|is a link|outside the evidence root/.test(i.reason ?? '')), [true, true, true, true]);
  assert.equal(readFileSync(path.join(outside, 'victim.txt'), 'utf8'), SHELL_A);
  assert.ok(existsSync(path.join(outside, 'dir', 'x.aspx')));
});

test('a vault inside a web-exposed folder is refused', async () => {
  const root = makeTree();
  const report = writeReport(root, DEFAULT_FILES.map((f) => fileFinding(f)));
  await assert.rejects(quarantine(report, abs(root, 'C/inetpub/wwwroot/vault'), { apply: true }), /web-exposed folder: C\/inetpub\/wwwroot/);
  await assert.rejects(
    quarantine(report, abs(root, 'C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/v'), { apply: true }),
    /web-exposed folder/,
  );
});

test('selection: categories and --min-severity by default, exactly the --finding ids otherwise', async () => {
  const root = makeTree();
  const files: TreeFile[] = [
    { ...(DEFAULT_FILES[0] as TreeFile), severity: 'low' },
    { ...(DEFAULT_FILES[1] as TreeFile), category: 'ioc' },
    DEFAULT_FILES[2] as TreeFile,
  ];
  const findings = files.map((f) => fileFinding(f));
  const report = writeReport(root, findings);
  const byDefault = await quarantine(report, newVault());
  assert.deepEqual(byDefault.out.items.map((i) => i.evidencePath), [files[2]?.rel]);
  const low = await quarantine(report, newVault(), { minSeverity: 'low' });
  assert.equal(low.out.items.length, 2);
  const picked = await quarantine(report, newVault(), { finding: [findings[1]?.id ?? '', 'nope'] });
  assert.deepEqual(picked.out.items.map((i) => i.evidencePath), [files[1]?.rel]);
  assert.equal(picked.out.skipped[0]?.findingId, 'nope');
});

test('two findings on one file make one vault entry; a second apply changes nothing', async () => {
  const root = makeTree();
  const f = DEFAULT_FILES[0] as TreeFile;
  const report = writeReport(root, [fileFinding(f), { ...fileFinding({ ...f, category: 'artifact' }), severity: 'high' }]);
  const vault = newVault();
  const first = await quarantine(report, vault, { apply: true });
  assert.equal(first.out.items.length, 1);
  assert.equal(first.out.items[0]?.findingIds.length, 2);
  const again = await quarantine(report, vault, { apply: true });
  assert.equal(again.out.results?.[0]?.outcome, 'already-quarantined');
  assert.equal((await list(vault)).length, 1);
});

test('vault verify: 0 intact, 1 tampered (naming the line), UsageError (exit 2) when not a vault', async () => {
  const root = makeTree();
  const vault = newVault();
  await quarantine(writeReport(root, DEFAULT_FILES.map((f) => fileFinding(f))), vault, { apply: true });
  let out = '';
  assert.equal(await runVaultVerify(vault, { format: 'text' }, (s) => (out += s)), 0);
  assert.match(out, /^INTACT/);
  const manifest = path.join(vault, 'manifest.jsonl');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"operator":"tester"', '"operator":"mallory"'));
  out = '';
  assert.equal(await runVaultVerify(vault, { format: 'text' }, (s) => (out += s)), 1);
  assert.match(out, /TAMPERED[\s\S]*line 1: hash mismatch/);
  await assert.rejects(runVaultVerify(tempDir('empty'), { format: 'text' }, () => undefined), (e: Error) => e.name === 'UsageError');
});

test('control characters in evidence paths never reach the terminal raw', async () => {
  const root = makeTree();
  const f: TreeFile = { rel: 'C/inetpub/wwwroot/aspnet_client/a\u001b[31mred\u202e.aspx', content: SHELL_A, category: 'webshell' };
  writeFileSync(abs(root, f.rel), f.content);
  let out = '';
  await runQuarantine(writeReport(root, [fileFinding(f)]), { vault: newVault(), apply: false, force: false, format: 'text' }, (s) => (out += s));
  assert.ok(!/[\u001b\u202e]/.test(out));
  assert.match(out, /aspnet_client\/ared\.aspx/);
});
