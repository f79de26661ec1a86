/**
 * Scan stage: the IIS and Exchange logs discovered in the evidence, streamed through the
 * log matcher (built-in rules plus --rules) on both cores, aggregated into findings;
 * coverage per family.
 */
import type { LogFamily } from '../../parsers/types.js';
import type { EvidenceRoot } from '../../evidence/root.js';
import type { Sources } from '../../evidence/sources.js';
import { walkFiles } from '../../evidence/walk.js';
import type { CoverageTracker } from '../../evidence/coverage.js';
import { createLogMatcher } from '../logs/matcher.js';
import { createAggregator } from '../logs/aggregate.js';
import { startLogHunt, type HuntPoolOptions, type LogHunt, type SizedLogJob } from '../logs/hunt-pool.js';
import { unpackHits } from '../logs/hit-data.js';
import type { LogRule } from '../../rules/types.js';
import type { IocSet } from '../../iocs/match.js';
import { createIocAggregator } from '../../iocs/aggregate.js';
import { logSighting } from '../logs/ioc-match.js';
import type { ScanContext } from './context.js';
import type { RuleSet } from './rule-set.js';

/** Log files by name: W3C/Exchange logs and their compressed copies. */
const LOG_FILE = /\.(log|txt|gz|zip)$/i;

export type LogFile = SizedLogJob;

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
      if (f.fsPath) {
        ctx.error(f.path, null, 'log file whose name is not valid UTF-8: not read (hunt it under another name)', 'EXH-E002');
        continue;
      }
      files.push({ abs: f.absPath, path: f.path, family: d.family, size: f.size });
    }
  }
  return files;
}

/** The pool options of a scan's log hunt (`startLogHunt`). */
export function logHuntOptions(ctx: ScanContext, yamlPaths: readonly string[], iocs: IocSet | null): Omit<HuntPoolOptions, 'matcher'> {
  return {
    rulePaths: yamlPaths,
    window: { since: ctx.options.since, until: ctx.options.until },
    iocs: iocs ? { set: iocs, load: { files: ctx.options.ioc, home: process.env.EXHUNT_HOME, asOf: ctx.options.asOf } } : null,
    hitIds: ctx.options.raw,
  };
}

/**
 * Hunts the files (in parallel where it pays); one file's failure never stops the others.
 * `started`: the same hunt begun earlier (`startLogHunt` with `logHuntOptions`), so that its
 * workers were at work while the rules loaded here.
 */
export async function huntLogFiles(
  files: readonly LogFile[],
  rules: RuleSet,
  ctx: ScanContext,
  coverage: CoverageTracker,
  iocs: IocSet | null = null,
  started?: LogHunt,
): Promise<void> {
  const matcher = createLogMatcher(rules.logRules);
  const iocAgg = createIocAggregator({ raw: ctx.options.raw });
  const byId = new Map<string, LogRule>(rules.logRules.map((r) => [r.meta.id, r]));
  const agg = createAggregator({ raw: ctx.options.raw, emitRaw: (f) => ctx.emit(f) });
  const results = (started ?? startLogHunt(files, logHuntOptions(ctx, rules.yamlPaths, iocs))).results(matcher);
  ctx.progress.update('logs');
  for await (const r of results) {
    ctx.progress.update('logs', r.job.path);
    ctx.progress.tick();
    if ('error' in r) {
      ctx.error(r.job.path, null, r.error);
      continue;
    }
    coverage.merge(r.coverage);
    for (const i of r.issues) ctx.error(i.path, i.line, i.message);
    ctx.counters.files += r.stats.files;
    ctx.counters.bytes += r.stats.bytes;
    // Records read: parsed ones and data lines the rules' pre-screen dropped unparsed.
    ctx.counters.records += r.stats.records + r.stats.filtered;
    ctx.counters.skippedRecords += r.stats.skipped;
    for (const h of unpackHits(r.hits)) {
      const rule = byId.get(h.ruleId);
      if (rule) agg.addHit(h, rule);
    }
    for (const h of r.iocHits) iocAgg.add(logSighting(h));
  }
  for (const finding of [...agg.findings(), ...iocAgg.findings()]) ctx.emit(finding);
}
