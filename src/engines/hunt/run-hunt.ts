/**
 * `hunt logs|files|events PATH…`: one engine over explicit files or folders, with the same
 * stages and report as `scan` (target kind `paths`).
 */
import { performance } from 'node:perf_hooks';
import { CoverageTracker } from '../../evidence/coverage.js';
import type { Report } from '../../findings/types.js';
import { assembleReport } from '../scan/assemble.js';
import { ScanContext, type ProgressSink, type ScanOptions } from '../scan/context.js';
import { loadRuleSet, yamlRulePaths } from '../scan/rule-set.js';
import { expandPaths } from './expand-paths.js';
import { loadScanIocs } from '../scan/ioc-stage.js';
import type { HuntKind } from './kinds.js';
import type { PlacedFile } from '../scan/files-stage.js';

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
  // Each engine's stage loads only when it runs (the file stage brings YARA).
  if (kind === 'logs') {
    const { huntLogFiles, logHuntOptions } = await import('../scan/logs-stage.js');
    const { startLogHunt } = await import('../logs/hunt-pool.js');
    // Files and indicators first: the log workers start on them while this thread loads its
    // rules (they load their own). A log hunt has no use for the built-in event rules.
    const files = (await collect(expandPaths(paths, ctx))).map((f) => ({ abs: f.absPath, path: f.path, size: f.size }));
    const iocs = await loadScanIocs(ctx);
    const hunt = startLogHunt(files, logHuntOptions(ctx, await yamlRulePaths(options.rules), iocs));
    try {
      const rules = await loadRuleSet(ctx, { events: false });
      await huntLogFiles(files, rules, ctx, coverage, iocs, hunt);
    } finally {
      await hunt.close();
    }
  } else {
    const rules = await loadRuleSet(ctx);
    const iocs = await loadScanIocs(ctx);
    if (kind === 'events') {
      const { huntEventFiles } = await import('../scan/events-stage.js');
      const files = (await collect(expandPaths(paths, ctx))).filter((f) => EVTX_NAME.test(f.path) || paths.includes(f.absPath));
      await huntEventFiles(files.map((f) => ({ abs: f.absPath, evidencePath: f.path })), rules, ctx, coverage, iocs);
    } else {
      const { huntFiles } = await import('../scan/files-stage.js');
      await huntFiles(asPlaced(paths, ctx), rules.yaraPaths, ctx, iocs);
    }
  }
  return assembleReport(ctx, {
    target: { kind: 'paths', root: paths.join(' '), hostname: null },
    posture: null,
    coverage: coverage.result(),
    examined: [kind],
    started,
    now: performance.now(),
  });
}
