/**
 * `hunt logs|files|events PATH…`: one engine over explicit files or folders, with the same
 * stages and report as `scan` (target kind `paths`).
 */
import { performance } from 'node:perf_hooks';
import { CoverageTracker } from '../../evidence/coverage.js';
import type { Report } from '../../findings/types.js';
import { assembleReport } from '../scan/assemble.js';
import { ScanContext, type ProgressSink, type ScanOptions } from '../scan/context.js';
import { loadRuleSet } from '../scan/rule-set.js';
import { huntLogFiles, type LogFile } from '../scan/logs-stage.js';
import { huntEventFiles } from '../scan/events-stage.js';
import { huntFiles, type PlacedFile } from '../scan/files-stage.js';
import { expandPaths } from './expand-paths.js';
import { loadScanIocs } from '../scan/ioc-stage.js';
import type { HuntKind } from './kinds.js';


const EVTX_NAME = /\.evtx$/i;

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Explicit files get every content detector, whatever their names (shells arrive renamed). */
async function* asPlaced(paths: readonly string[], ctx: ScanContext): AsyncGenerator<PlacedFile> {
  for await (const file of expandPaths(paths, ctx)) yield { file, place: { webExposed: true, artifactDir: false } };
}

export async function runHunt(
  kind: HuntKind,
  paths: readonly string[],
  options: ScanOptions,
  progress: ProgressSink,
): Promise<Report> {
  const started = performance.now();
  const ctx = new ScanContext(options, progress);
  const coverage = new CoverageTracker();
  // A log hunt has no use for the built-in event rules.
  const rules = await loadRuleSet(ctx, { events: kind !== 'logs' });
  const iocs = await loadScanIocs(ctx);
  if (kind === 'logs') {
    const files: LogFile[] = (await collect(expandPaths(paths, ctx))).map((f) => ({ abs: f.absPath, path: f.path, size: f.size }));
    await huntLogFiles(files, rules, ctx, coverage, iocs);
  } else if (kind === 'events') {
    const files = (await collect(expandPaths(paths, ctx))).filter((f) => EVTX_NAME.test(f.path) || paths.includes(f.absPath));
    await huntEventFiles(files.map((f) => ({ abs: f.absPath, evidencePath: f.path })), rules, ctx, coverage, iocs);
  } else {
    await huntFiles(asPlaced(paths, ctx), rules.yaraPaths, ctx, iocs);
  }
  return assembleReport(ctx, {
    target: { kind: 'paths', root: paths.join(' '), hostname: null },
    posture: null,
    coverage: coverage.result(),
    started,
    now: performance.now(),
  });
}
