/**
 * Scan stage: the Windows event logs found in the evidence, streamed record by record. Each
 * channel's time window goes to coverage; the event rules run here once they land (issue #6).
 */
import type { FoundPath } from '../../evidence/sources.js';
import type { CoverageTracker } from '../../evidence/coverage.js';
import { readEvtx } from '../../parsers/evtx/index.js';
import type { ScanContext } from './context.js';

export async function huntEventFiles(files: readonly FoundPath[], ctx: ScanContext, coverage: CoverageTracker): Promise<void> {
  for (const file of files) {
    ctx.progress.update('event logs', file.evidencePath);
    ctx.counters.files += 1;
    let records = 0;
    try {
      const issues = (i: { path: string; line: number | null; message: string }): void => ctx.issue(i);
      for await (const rec of readEvtx(file.abs, file.evidencePath, { onIssue: issues })) {
        records += 1;
        coverage.add(`evtx:${rec.channel ?? 'unknown'}`, file.evidencePath, rec.time);
        if (records % 1000 === 0) ctx.progress.tick(1000);
      }
    } catch (err) {
      ctx.error(file.evidencePath, null, err instanceof Error ? err.message : String(err));
    }
    if (records === 0) coverage.addFile('evtx', file.evidencePath);
    ctx.counters.records += records;
  }
}
