/**
 * One log file through the matcher: the unit of work of the log hunt, run in a worker thread
 * or on the calling thread. Lines no rule could match are dropped before parsing (the rules'
 * required literals), but their hours still reach coverage.
 */
import { CoverageTracker, type CoverageState } from '../../evidence/coverage.js';
import { createParseStats, openLogBatches, type ParseStats, type ReadBuffers } from '../../parsers/logs/index.js';
import type { LogFamily, ParseIssue } from '../../parsers/types.js';
import type { LogMatcher } from './matcher.js';
import type { IocSet } from '../../iocs/match.js';
import { iocHitsOf, type IocLogHit } from './ioc-match.js';
import { findingRecord } from './finding.js';
import { HitPacker, hitDataAt, locusOf, type HitPack } from './hit-data.js';

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

export interface LogFileResult {
  readonly job: LogJob;
  /** The rule hits, in line order, as plain data (the rule travels by id between threads). */
  readonly hits: HitPack;
  readonly iocHits: IocLogHit[];
  readonly coverage: CoverageState;
  readonly stats: ParseStats;
  readonly issues: ParseIssue[];
}

function inWindow(time: string | null, w: TimeWindow): boolean {
  if (time === null) return true;
  return !((w.since !== undefined && time < w.since) || (w.until !== undefined && time > w.until));
}

/** How a file is processed besides the matcher. */
export interface ProcessOptions {
  readonly window: TimeWindow;
  readonly iocs?: IocSet | null;
  /** Read buffers the calling thread reuses from file to file (`createReadBuffers`). */
  readonly buffers?: ReadBuffers | undefined;
  /** Give each hit its raw finding's id (`--raw`; aggregated findings have their own). */
  readonly hitIds?: boolean;
}

export async function processLogFile(job: LogJob, matcher: LogMatcher, opts: ProcessOptions): Promise<LogFileResult> {
  const { window, buffers } = opts;
  const iocs = opts.iocs ?? null;
  const withIds = opts.hitIds ?? false;
  const coverage = new CoverageTracker();
  const stats = createParseStats();
  const issues: ParseIssue[] = [];
  const hits = new HitPacker();
  const iocHits: IocLogHit[] = [];
  let family: LogFamily | null = job.family ?? null;
  const batches = openLogBatches(job.abs, job.path, {
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
  for await (const batch of batches) {
    for (const rec of batch) {
      family = rec.source;
      coverage.add(rec.source, rec.location.path, rec.time);
      if (!inWindow(rec.time, window)) continue;
      const matched = matcher.match(rec);
      if (matched.length > 0) {
        // Only what the finding shows crosses back to the main thread (hit-data.ts).
        const locus = locusOf(rec);
        for (const h of matched) hits.add(hitDataAt(locus, { ruleId: h.rule.meta.id, severity: h.severity, status: h.status }, withIds));
      }
      if (iocs) {
        const found = iocHitsOf(iocs, rec);
        // The record cut to what a finding shows (finding.ts) crosses back, once per record.
        const cut = found.length > 0 ? findingRecord(rec) : rec;
        for (const h of found) iocHits.push({ ...h, rec: cut });
      }
    }
  }
  coverage.addFile(family ?? 'unknown-log', job.path);
  // Lines the pre-screen dropped unparsed were read too: they count as records (issue 21).
  if (family !== null) coverage.count(family, job.path, stats.filtered);
  return { job, hits: hits.pack(), iocHits, coverage: coverage.state(), stats, issues };
}
