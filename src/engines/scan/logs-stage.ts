/**
 * Scan stage: the IIS and Exchange logs discovered in the evidence, streamed through the
 * log matcher (built-in rules plus --rules), aggregated into findings; coverage per family.
 */
import type { LogFamily } from '../../parsers/types.js';
import { openLog, createParseStats } from '../../parsers/logs/index.js';
import type { EvidenceRoot } from '../../evidence/root.js';
import type { Sources } from '../../evidence/sources.js';
import { walkFiles } from '../../evidence/walk.js';
import type { CoverageTracker } from '../../evidence/coverage.js';
import { createLogMatcher, type LogMatcher } from '../logs/matcher.js';
import { createAggregator } from '../logs/aggregate.js';
import type { ScanContext } from './context.js';
import type { RuleSet } from './rule-set.js';

/** Log files by name: W3C/Exchange logs and their compressed copies. */
const LOG_FILE = /\.(log|txt|gz|zip)$/i;

export interface LogFile {
  readonly abs: string;
  readonly path: string;
  readonly family: LogFamily | undefined;
}

/** Lists the log files below the discovered IIS and Exchange log folders. */
export async function discoverLogFiles(root: EvidenceRoot, sources: Sources, ctx: ScanContext): Promise<LogFile[]> {
  const dirs: { abs: string; family: LogFamily | undefined }[] = [
    ...sources.iisLogDirs.map((d) => ({ abs: d.abs, family: 'iis' as const })),
    ...sources.exchangeLogDirs.map((d) => ({ abs: d.abs, family: d.family })),
  ];
  const files: LogFile[] = [];
  const seen = new Set<string>();
  for (const d of dirs) {
    const walk = walkFiles(root, d.abs, {
      onError: (e) => ctx.error(e.path, e.line, e.message),
      filter: (p) => LOG_FILE.test(p),
    });
    for await (const f of walk) {
      if (seen.has(f.absPath)) continue;
      seen.add(f.absPath);
      files.push({ abs: f.absPath, path: f.path, family: d.family });
    }
  }
  return files;
}

/** Streams each log file through the matcher; one file's failure never stops the others. */
export async function huntLogFiles(
  files: readonly LogFile[],
  rules: RuleSet,
  ctx: ScanContext,
  coverage: CoverageTracker,
): Promise<void> {
  const matcher: LogMatcher = createLogMatcher(rules.logRules);
  const agg = createAggregator({ raw: ctx.options.raw });
  const stats = createParseStats();
  for (const f of files) {
    ctx.progress.update('logs', f.path);
    const before = stats.skipped;
    let family = f.family ?? 'log';
    try {
      for await (const rec of openLog(f.abs, f.path, { family: f.family, stats, onIssue: (i) => ctx.error(i.path, i.line, i.message) })) {
        family = rec.source;
        coverage.add(rec.source, rec.location.path, rec.time);
        if (!ctx.inWindow(rec.time)) continue;
        for (const hit of matcher.match(rec)) agg.add(rec, hit);
      }
    } catch (err) {
      ctx.error(f.path, null, err instanceof Error ? err.message : String(err));
    }
    coverage.addFile(family, f.path);
    ctx.counters.skippedRecords += stats.skipped - before;
    ctx.progress.tick();
  }
  ctx.counters.files += stats.files;
  ctx.counters.bytes += stats.bytes;
  ctx.counters.records += stats.records;
  for (const finding of agg.findings()) ctx.emit(finding);
}
