/**
 * Scan stage: the Windows event logs found in the evidence, streamed record by record through
 * the event rules (built-in and Sigma windows rules); each channel's time window goes to coverage.
 */
import type { FoundPath } from '../../evidence/sources.js';
import type { CoverageTracker } from '../../evidence/coverage.js';
import { readEvtx } from '../../parsers/evtx/index.js';
import { createEventHunter } from '../events/index.js';
import type { ScanContext } from './context.js';
import type { RuleSet } from './rule-set.js';
import type { IocSet } from '../../iocs/match.js';
import { createEventIocMatcher } from '../events/ioc-match.js';
import { readableEventLog, type LiveHost } from '../../evidence/live.js';

export async function huntEventFiles(
  files: readonly FoundPath[],
  rules: RuleSet,
  ctx: ScanContext,
  coverage: CoverageTracker,
  iocs: IocSet | null = null,
  live: LiveHost | null = null,
): Promise<void> {
  const hunter = createEventHunter(rules.eventRules, { raw: ctx.options.raw });
  const iocMatcher = iocs ? createEventIocMatcher(iocs, { raw: ctx.options.raw }) : null;
  for (const file of files) {
    ctx.progress.update('event logs', file.evidencePath);
    ctx.counters.files += 1;
    let records = 0;
    try {
      // Live: a log the EventLog service holds open is read from an export of its channel.
      const abs = live ? await readableEventLog(live, file) : file.abs;
      for await (const rec of readEvtx(abs, file.evidencePath, { onIssue: (i) => ctx.issue(i) })) {
        records += 1;
        coverage.add(`evtx:${rec.channel ?? 'unknown'}`, file.evidencePath, rec.time);
        if (ctx.inWindow(rec.time)) {
          hunter.add(rec);
          iocMatcher?.add(rec);
        }
        if (records % 1000 === 0) ctx.progress.tick(1000);
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      // A live log that could be neither opened nor exported was not hunted at all.
      if (live && /in use and its export failed/.test(msg)) ctx.notChecked(`event log ${file.evidencePath}`, file.evidencePath, msg, 'EXH-E002');
      else ctx.error(file.evidencePath, null, msg);
    }
    if (records === 0) coverage.addFile('evtx', file.evidencePath);
    ctx.counters.records += records;
  }
  for (const f of [...hunter.findings(), ...(iocMatcher?.findings() ?? [])]) ctx.emit(f);
}
