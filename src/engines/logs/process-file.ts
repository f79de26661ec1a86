/**
 * One log file through the matcher: the unit of work of the log hunt, run in a worker thread
 * or on the calling thread. Lines no rule could match are dropped before parsing (the rules'
 * required literals), but their hours still reach coverage.
 */
import { CoverageTracker, type CoverageState } from '../../evidence/coverage.js';
import { createParseStats, openLog, type ParseStats, type ReadBuffers } from '../../parsers/logs/index.js';
import type { LogFamily, LogRecord, ParseIssue } from '../../parsers/types.js';
import type { Severity } from '../../findings/types.js';
import type { LogMatcher } from './matcher.js';
import type { IocSet } from '../../iocs/match.js';
import { iocHitsOf, type IocLogHit } from './ioc-match.js';
import { findingRecord } from './finding.js';

export interface LogJob {
  readonly abs: string;
  /** Evidence path (with `/`) that records and findings name. */
  readonly path: string;
  /** Family when the folder says it; detected from the header otherwise. */
  readonly family?: LogFamily | undefined;
}

export interface TimeWindow {
  readonly since?: string | undefined;
  readonly until?: string | undefined;
}

/** A match, as plain data (the rule travels by id between threads). */
export interface LogHit {
  /** The record cut to what its finding shows (`findingRecord`). */
  readonly rec: LogRecord;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly status: string | null;
}

export interface LogFileResult {
  readonly job: LogJob;
  readonly hits: LogHit[];
  readonly iocHits: IocLogHit[];
  readonly coverage: CoverageState;
  readonly stats: ParseStats;
  readonly issues: ParseIssue[];
}

function inWindow(time: string | null, w: TimeWindow): boolean {
  if (time === null) return true;
  return !((w.since !== undefined && time < w.since) || (w.until !== undefined && time > w.until));
}

/** `buffers`: read buffers the calling thread reuses from file to file (`createReadBuffers`). */
export async function processLogFile(
  job: LogJob,
  matcher: LogMatcher,
  window: TimeWindow,
  iocs: IocSet | null = null,
  buffers?: ReadBuffers,
): Promise<LogFileResult> {
  const coverage = new CoverageTracker();
  const stats = createParseStats();
  const issues: ParseIssue[] = [];
  const hits: LogHit[] = [];
  const iocHits: IocLogHit[] = [];
  let family: LogFamily | null = job.family ?? null;
  const recs = openLog(job.abs, job.path, {
    ...(job.family ? { family: job.family } : {}),
    ...(buffers ? { readBuffers: buffers } : {}),
    stats,
    onIssue: (i) => issues.push(i),
    // Indicators must see every line, so the rules' pre-screen applies only without them.
    lineScreen: (f) => (iocs ? null : matcher.screenFor(f)),
    onDroppedTime: (time, path, f) => {
      family = f;
      coverage.touch(f, path, time);
    },
  });
  for await (const rec of recs) {
    family = rec.source;
    coverage.add(rec.source, rec.location.path, rec.time);
    if (!inWindow(rec.time, window)) continue;
    for (const h of matcher.match(rec)) {
      // Only what the finding shows crosses back to the main thread (finding.ts).
      hits.push({ rec: findingRecord(rec), ruleId: h.rule.meta.id, severity: h.severity, status: h.status });
    }
    if (iocs) iocHits.push(...iocHitsOf(iocs, rec));
  }
  coverage.addFile(family ?? 'unknown-log', job.path);
  return { job, hits, iocHits, coverage: coverage.state(), stats, issues };
}
