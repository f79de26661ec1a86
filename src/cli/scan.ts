/** `exhunt scan ROOT`: everything that applies to the evidence, one report. */
import type { Command } from 'commander';
import { addReportOptions, readReportOptions, scanOptionsOf, SPOOL_AFTER } from './common.js';
import { action } from './run.js';
import { createProgress } from './progress.js';
import { emitReport } from './emit-report.js';
import { UsageError } from './errors.js';
import type { Baseline } from '../engines/baseline/baseline.js';
import type { Report } from '../findings/types.js';

async function loadBaseline(file: string): Promise<Baseline> {
  const { readBaseline } = await import('../engines/baseline/baseline.js');
  try {
    return await readBaseline(file);
  } catch (err) {
    throw new UsageError(`--baseline: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Checks `--directive ID` before the scan; returns what applies it to the finished report. */
async function directiveJudge(id: string): Promise<(r: Report) => Report> {
  const { indexKb } = await import('../engines/posture/kb-index.js');
  const { loadKb } = await import('../engines/posture/kb-load.js');
  const { directiveOf, withDirective } = await import('./directive-option.js');
  const kb = indexKb(loadKb({ warn: (m) => process.stderr.write(`exhunt: ${m}\n`) }).bundle);
  directiveOf(kb, id, 'scan');
  return (r) => withDirective(kb, r, id, 'scan');
}

export function registerScan(program: Command): string[] {
  const cmd = program
    .command('scan <root>')
    .description('scan a collected system drive (or C:\\ live): posture, logs, events, files, IOCs')
    .option('--exchange-path <path>', 'Exchange install folder when not in the default place (Windows or evidence path)')
    .option('--build <build>', 'Exchange build to assume when the evidence does not show it')
    .option('--max-scan-size <mb>', 'files above this size (MB) are hashed but not content-scanned', '20')
    .option('--baseline <file>', 'known-good inventory (exhunt baseline create): report web-exposed files new or changed against it')
    .option('--directive <id>', 'also judge the build against an emergency directive (e.g. ED-25-02); shown with the verdict');
  addReportOptions(cmd).action(
    action(async (root: string, raw: Record<string, unknown>) => {
      const opts = readReportOptions(raw);
      const baseline = typeof raw.baseline === 'string' ? await loadBaseline(raw.baseline) : undefined;
      const directive = typeof raw.directive === 'string' ? await directiveJudge(raw.directive) : null;
      const progress = createProgress(!opts.quiet);
      const { runScan } = await import('../engines/scan/run-scan.js');
      const report = await runScan(root, {
        ...scanOptionsOf(opts, raw),
        spoolAfter: SPOOL_AFTER,
        baseline,
      }, progress);
      progress.done();
      return emitReport(directive ? directive(report) : report, opts);
    }),
  );
  return ['scan'];
}
