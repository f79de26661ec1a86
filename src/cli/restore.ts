/**
 * `exhunt restore ID --vault DIR [--root ROOT]`: puts a quarantined file back exactly (bytes,
 * mode, modification and access times). Exit 0 done (or already there), 2 refused or failed.
 */
import type { Command } from 'commander';
import { EvidenceError, openEvidenceRoot, type EvidenceRoot } from '../evidence/index.js';
import { crashHookFromEnv, restoreFile, Vault, VaultError, whoIsActing } from '../remediate/index.js';
import { stripControl } from '../report/escape.js';
import { EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';

interface RestoreOptions {
  vault: string;
  root?: string;
  operator?: string;
}

async function rootFor(input: string | undefined): Promise<EvidenceRoot | null> {
  if (input === undefined) return null;
  try {
    return await openEvidenceRoot(input);
  } catch (e) {
    if (e instanceof EvidenceError) throw new UsageError(e.message);
    throw e;
  }
}

export async function runRestore(id: string, opts: RestoreOptions, write: (s: string) => void): Promise<number> {
  const root = await rootFor(opts.root);
  const hook = crashHookFromEnv();
  let vault: Vault;
  try {
    vault = await Vault.openForWrite(opts.vault, hook);
  } catch (e) {
    if (e instanceof VaultError) throw new UsageError(e.message);
    throw e;
  }
  try {
    const who = whoIsActing(opts.operator);
    const note = await vault.repairTorn(who);
    if (note) process.stderr.write(`exhunt: note: ${note}\n`);
    const r = await restoreFile(vault, id, root, who, hook);
    const what = r.written ? 'restored' : 'already in place (same content; nothing written)';
    write(`${r.entry.id} ${what}: ${stripControl(r.target)}\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof VaultError) throw new UsageError(e.message);
    throw e;
  } finally {
    await vault.close();
  }
}

export function registerRestore(program: Command): string[] {
  program
    .command('restore')
    .description('put a quarantined file back from the vault (refuses to overwrite a different file)')
    .argument('<id>', 'the id shown by `exhunt vault list`')
    .requiredOption('--vault <dir>', 'the vault folder')
    .option('--root <root>', 'restore below this evidence root (same evidence path) instead of the original absolute path')
    .option('--operator <name>', 'who is acting, for the manifest (default: the OS user)')
    .action(action(async (id: string, opts: RestoreOptions) => runRestore(id, opts, (s) => process.stdout.write(s))));
  return ['restore'];
}
