/** `exhunt hunt logs|files|events PATH…`: one engine over explicit files or folders. */
import { Argument, type Command } from 'commander';
import { addReportOptions, maxScanBytes, readReportOptions, SPOOL_AFTER } from './common.js';
import { action } from './run.js';
import { createProgress } from './progress.js';
import { emitReport } from './emit-report.js';
import { UsageError } from './errors.js';
import { HUNT_KINDS, type HuntKind } from '../engines/hunt/kinds.js';
import { anyExists } from '../engines/hunt/expand-paths.js';

export function registerHunt(program: Command): string[] {
  const cmd = program
    .command('hunt')
    .description('run one engine (logs, files or events) over explicit files or folders')
    .addArgument(new Argument('<engine>', 'which engine').choices(HUNT_KINDS))
    .argument('<paths...>', 'files or folders')
    .option('--max-scan-size <mb>', 'files above this size (MB) are hashed but not content-scanned', '20');
  addReportOptions(cmd).action(
    action(async (kind: HuntKind, paths: string[], raw: Record<string, unknown>) => {
      const opts = readReportOptions(raw);
      if (!(await anyExists(paths))) throw new UsageError(`hunt ${kind}: none of the paths exists: ${paths.join(', ')}`);
      // Log workers load their modules and rules on the other core while this thread loads its own.
      if (kind === 'logs') (await import('../engines/logs/log-workers.js')).prestartLogWorkers();
      const progress = createProgress(!opts.quiet);
      const { runHunt } = await import('../engines/hunt/run-hunt.js');
      const report = await runHunt(kind, paths, {
        asOf: opts.asOf,
        raw: opts.raw,
        spoolAfter: SPOOL_AFTER,
        rules: opts.rules,
        ioc: opts.ioc,
        since: opts.since,
        until: opts.until,
        maxScanBytes: maxScanBytes(raw.maxScanSize),
      }, progress);
      progress.done();
      return emitReport(report, opts);
    }),
  );
  return ['hunt'];
}
