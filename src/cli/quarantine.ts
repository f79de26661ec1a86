/**
 * `exhunt quarantine REPORT --vault DIR [--apply]`: plans (and with --apply carries out) the
 * evidence-preserving removal of the files a report flags. Exit 0 done (or plan printed),
 * 2 when the command could not run or any file was refused or failed under --apply.
 */
import { Option, type Command } from 'commander';
import { EvidenceError, openEvidenceRoot, type EvidenceRoot } from '../evidence/index.js';
import { SEVERITIES, type Report, type Severity } from '../findings/types.js';
import {
  activeEntries, applyPlan, buildPlan, crashHookFromEnv, Vault, VaultError, vaultLocationProblem, whoIsActing,
  type ActiveLookup, type ApplyResult, type ManifestEntry, type Plan, type PlanItem,
} from '../remediate/index.js';
import { stripControl, terminalSafeJson } from '../report/escape.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors.js';
import { action } from './run.js';
import { loadReport } from './load-report.js';

interface QuarantineOptions {
  vault: string;
  apply: boolean;
  root?: string;
  finding?: string[];
  minSeverity?: Severity;
  force: boolean;
  operator?: string;
  format: 'text' | 'json';
}

async function openRoot(report: Report, override: string | undefined): Promise<EvidenceRoot> {
  const kind = report.target.kind;
  if (override === undefined && kind !== 'tree' && kind !== 'live') {
    throw new UsageError(`the report's target is of kind ${kind}; give the evidence root with --root`);
  }
  try {
    return await openEvidenceRoot(override ?? report.target.root, { live: override === undefined && kind === 'live' });
  } catch (e) {
    if (e instanceof EvidenceError) throw new UsageError(`${e.message} (the evidence moved? use --root)`);
    throw e;
  }
}

function lookupIn(entries: readonly ManifestEntry[]): ActiveLookup {
  const active = activeEntries(entries);
  return (sha256, abs) => active.find((e) => e.originalPath.abs === abs && (sha256 === null || e.sha256 === sha256)) ?? null;
}

function skippedText(plan: Plan): string[] {
  const s = stripControl;
  if (plan.skipped.length <= 5) return plan.skipped.map((sk) => `  skipped finding ${s(sk.findingId)}: ${s(sk.reason)}`);
  return [`  ${plan.skipped.length} selected findings are not files on disk (log or event findings): nothing to quarantine for them`];
}

function itemLines(it: PlanItem, r: ApplyResult | undefined): string[] {
  const s = stripControl;
  const more = it.findingIds.length > 1 ? ` +${it.findingIds.length - 1}` : '';
  const head = r ? `${r.outcome.padEnd(19)} ${(r.id ?? '-').padEnd(16)}` : `${it.action.padEnd(19)} ${it.finding.severity.padEnd(8)}`;
  const lines = [`  ${head} ${s(it.evidencePath)}`, `      ${s(it.finding.ruleId)}: ${s(it.finding.title)} (finding ${it.finding.id}${more})`];
  const note = r ? (r.message ?? (r.outcome === 'refused' ? it.reason : null)) : it.reason;
  if (note) lines.push(`      ${s(note)}`);
  return lines;
}

function planText(plan: Plan, results: readonly ApplyResult[] | null): string {
  const s = stripControl;
  const lines = [`Quarantine ${results ? '' : 'plan '}for ${s(plan.root)} -> vault ${s(plan.vault)}`];
  plan.items.forEach((it, i) => lines.push(...itemLines(it, results?.[i])));
  lines.push(...skippedText(plan));
  if (results) {
    const count = (o: string): number => results.filter((r) => r.outcome === o).length;
    lines.push(`${results.length} file(s): ${count('quarantined')} quarantined, ${count('removed-original')} originals removed (already in the vault), ` +
      `${count('already-quarantined')} already done, ${count('refused')} refused, ${count('failed')} failed`);
  } else {
    const count = (a: string): number => plan.items.filter((i) => i.action === a).length;
    lines.push(`${plan.items.length} file(s): ${count('quarantine')} to quarantine, ${count('remove-original')} to remove (already in the vault), ` +
      `${count('already-quarantined')} already done, ${count('refuse')} refused`);
    lines.push('Nothing was changed. Run again with --apply to carry this out.');
  }
  return `${lines.join('\n')}\n`;
}

async function applyWithVault(plan0: { report: Report; root: EvidenceRoot; opts: QuarantineOptions }): Promise<{ plan: Plan; results: ApplyResult[] }> {
  const { report, root, opts } = plan0;
  const hook = crashHookFromEnv();
  const who = whoIsActing(opts.operator);
  const vault = await Vault.openForWrite(opts.vault, hook);
  try {
    const note = await vault.repairTorn(who);
    if (note) process.stderr.write(`exhunt: note: ${note}\n`);
    const plan = await buildPlan(report, root, opts.vault, planOptions(opts), lookupIn(vault.entries));
    const results = await applyPlan(plan, { vault, root, who, hook });
    return { plan, results };
  } finally {
    await vault.close();
  }
}

function planOptions(opts: QuarantineOptions): { force: boolean; findingIds?: string[]; minSeverity?: Severity } {
  return { force: opts.force, ...(opts.finding ? { findingIds: opts.finding } : {}), ...(opts.minSeverity ? { minSeverity: opts.minSeverity } : {}) };
}

export async function runQuarantine(reportFile: string, opts: QuarantineOptions, write: (s: string) => void): Promise<number> {
  const report = await loadReport(reportFile);
  const root = await openRoot(report, opts.root);
  const where = await vaultLocationProblem(opts.vault, root);
  if (where) throw new UsageError(where);
  if (!opts.apply) {
    const entries = await Vault.readState(opts.vault).then((s) => s.entries, (e: unknown) => {
      if (e instanceof VaultError) return [];
      throw e;
    });
    const plan = await buildPlan(report, root, opts.vault, planOptions(opts), lookupIn(entries));
    write(opts.format === 'json' ? `${terminalSafeJson(JSON.stringify({ applied: false, ...plan }, null, 2))}\n` : planText(plan, null));
    return EXIT_OK;
  }
  let out;
  try {
    out = await applyWithVault({ report, root, opts });
  } catch (e) {
    if (e instanceof VaultError) throw new UsageError(e.message);
    throw e;
  }
  const { plan, results } = out;
  write(opts.format === 'json' ? `${terminalSafeJson(JSON.stringify({ applied: true, ...plan, results }, null, 2))}\n` : planText(plan, results));
  return results.some((r) => r.outcome === 'failed' || r.outcome === 'refused') ? EXIT_FAILED : EXIT_OK;
}

export function registerQuarantine(program: Command): string[] {
  program
    .command('quarantine')
    .description('evidence-preserving removal of flagged files into a vault (plan by default, --apply)')
    .argument('<report>', 'a report written by `exhunt scan ROOT --format json`')
    .requiredOption('--vault <dir>', 'the vault folder (created 0700; never inside a web-exposed folder)')
    .option('--apply', 'carry out the plan (without it nothing is changed)', false)
    .option('--root <root>', "the evidence root (default: the report's target.root)")
    .option('--finding <ids...>', 'quarantine exactly these findings (any category)')
    .addOption(new Option('--min-severity <severity>', 'lowest severity quarantined by default (default: medium)').choices(SEVERITIES))
    .option('--force', 'also quarantine files whose sha256 differs from the report', false)
    .option('--operator <name>', 'who is acting, for the manifest (default: the OS user)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(action(async (report: string, opts: QuarantineOptions) => runQuarantine(report, opts, (s) => process.stdout.write(s))));
  return ['quarantine'];
}
