/**
 * `exhunt vault list DIR` (what the vault holds) and `exhunt vault verify DIR` (is the manifest
 * chain intact, does every object match its entry): verify exits 0 intact, 1 tampered, 2 could not run.
 */
import { Option, type Command } from 'commander';
import { listVault, verifyVault, VaultError, type VaultListItem, type VerifyResult } from '../remediate/index.js';
import { stripControl, terminalSafeJson } from '../report/escape.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';

interface FormatOption {
  format: 'text' | 'json';
}

function listText(items: readonly VaultListItem[]): string {
  if (items.length === 0) return 'The vault holds no quarantined files.\n';
  const lines = [`${'ID'.padEnd(16)}  ${'QUARANTINED'.padEnd(24)}  ${'RESTORED'.padEnd(24)}  ${'SIZE'.padStart(9)}  PATH`];
  for (const i of items) {
    lines.push(`${i.id.padEnd(16)}  ${i.quarantinedAt.padEnd(24)}  ${(i.restoredAt ?? '-').padEnd(24)}  ${String(i.size).padStart(9)}  ${stripControl(i.originalPath)}`);
    lines.push(`${''.padEnd(16)}  sha256 ${i.sha256}  rule ${stripControl(i.ruleId)}  finding ${stripControl(i.findingId)}`);
  }
  const inVault = items.filter((i) => i.restoredAt === null).length;
  lines.push(`${items.length} file(s) quarantined, ${inVault} still in the vault`);
  return `${lines.join('\n')}\n`;
}

function verifyText(r: VerifyResult): string {
  const lines = [`${r.problems.length === 0 ? 'INTACT' : 'TAMPERED'} ${stripControl(r.vault)}: ${r.entries} manifest entries, ${r.objects} object(s)`];
  for (const p of r.problems) lines.push(`  FAIL ${p.line === null ? '' : `manifest.jsonl line ${p.line}: `}${stripControl(p.message)}`);
  for (const w of r.warnings) lines.push(`  WARN ${stripControl(w)}`);
  return `${lines.join('\n')}\n`;
}

async function asUsage<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof VaultError) throw new UsageError(e.message);
    throw e;
  }
}

export async function runVaultList(dir: string, opts: FormatOption, write: (s: string) => void): Promise<number> {
  const items = await asUsage(listVault(dir));
  write(opts.format === 'json' ? `${terminalSafeJson(JSON.stringify(items, null, 2))}\n` : listText(items));
  return EXIT_OK;
}

export async function runVaultVerify(dir: string, opts: FormatOption, write: (s: string) => void): Promise<number> {
  const r = await asUsage(verifyVault(dir));
  write(opts.format === 'json' ? `${terminalSafeJson(JSON.stringify({ intact: r.problems.length === 0, ...r }, null, 2))}\n` : verifyText(r));
  return r.problems.length === 0 ? EXIT_OK : EXIT_FINDINGS;
}

export function registerVault(program: Command): string[] {
  const vault = program.command('vault').description('what the quarantine vault holds; is its manifest intact');
  const fmt = (): Option => new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text');
  vault
    .command('list')
    .description('the files quarantined in the vault, and when they were restored')
    .argument('<dir>', 'the vault folder')
    .addOption(fmt())
    .action(action(async (dir: string, opts: FormatOption) => runVaultList(dir, opts, (s) => process.stdout.write(s))));
  vault
    .command('verify')
    .description('recompute the manifest hash chain and every object hash (exit 0 intact, 1 tampered, 2 could not run)')
    .argument('<dir>', 'the vault folder')
    .addOption(fmt())
    .action(action(async (dir: string, opts: FormatOption) => runVaultVerify(dir, opts, (s) => process.stdout.write(s))));
  return ['vault'];
}
