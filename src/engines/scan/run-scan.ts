/**
 * `scan ROOT`: opens the evidence root, discovers its sources, then runs each stage (posture,
 * logs, event logs, files) and assembles one Report. A stage's failure on one file is an entry
 * in `errors`; only an unusable root fails the scan.
 */
import { performance } from 'node:perf_hooks';
import { openEvidenceRoot, type EvidenceRoot } from '../../evidence/root.js';
import { createLiveHost, exportExchangeSetup, type LiveHost } from '../../evidence/live.js';
import { runCommand } from '../../platform/command.js';
import type { ParseIssue } from '../../parsers/types.js';
import { discoverSources } from '../../evidence/discover.js';
import { discoveryItems } from '../../evidence/discovery-items.js';
import { CoverageTracker } from '../../evidence/coverage.js';
import type { Report } from '../../findings/types.js';
import { assembleReport } from './assemble.js';
import { ScanContext, type ProgressSink, type ScanOptions } from './context.js';
import { loadRuleSet } from './rule-set.js';
import { assessPosture } from './posture-stage.js';
import { discoverLogFiles, huntLogFiles } from './logs-stage.js';
import { huntEventFiles } from './events-stage.js';
import { filesInSources, huntFiles } from './files-stage.js';
import { checkPersistence } from '../persistence/index.js';
import { loadScanIocs } from './ioc-stage.js';

/** True when the input names a live Windows drive (`C:\`), i.e. exhunt runs on the server. */
function isLiveDrive(input: string): boolean {
  return process.platform === 'win32' && /^[A-Za-z]:[\\/]?$/.test(input);
}

export async function runScan(input: string, options: ScanOptions, progress: ProgressSink): Promise<Report> {
  const started = performance.now();
  // A live host given by the caller (tests) makes any root live.
  const root = await openEvidenceRoot(input, { live: isLiveDrive(input) || options.liveHost !== undefined });
  const ctx = new ScanContext(options, progress);
  // Live mode: the running system's registry and in-use event logs, through its own commands.
  const live = root.kind === 'live' ? (options.liveHost ?? createLiveHost(runCommand)) : null;
  try {
    return await scanRoot(input, root, ctx, live, started);
  } finally {
    await live?.close();
  }
}

async function scanRoot(input: string, root: EvidenceRoot, ctx: ScanContext, live: LiveHost | null, started: number): Promise<Report> {
  const { options, progress } = ctx;
  progress.update('discovery', input);
  const onError = (e: ParseIssue): void => ctx.error(e.path, e.line, e.message);
  const liveRegFiles = live
    ? await exportExchangeSetup(live, (e) => ctx.notChecked('the live registry (Exchange Setup key: install path, build)', e.path, e.message, 'EXH-E002'))
    : [];
  const sources = await discoverSources(root, { exchangePath: options.exchangePath, liveRegFiles, onError });
  const rules = await loadRuleSet(ctx);
  const iocs = await loadScanIocs(ctx);
  const coverage = new CoverageTracker();

  const posture = await assessPosture(root, sources, ctx);
  progress.update('persistence');
  for (const f of await checkPersistence(root, sources, (e) => ctx.error(e.path, e.line, e.message))) ctx.emit(f);
  const logFiles = await discoverLogFiles(root, sources, ctx);
  await huntLogFiles(logFiles, rules, ctx, coverage, iocs);
  await huntEventFiles(sources.evtxFiles, rules, ctx, coverage, iocs, live);
  await huntFiles(filesInSources(root, sources, ctx), rules.yaraPaths, ctx, iocs);

  return assembleReport(ctx, {
    target: { kind: root.kind, root: input, hostname: null },
    posture,
    coverage: coverage.result(),
    discovery: discoveryItems(sources),
    examined: ['posture', 'persistence', 'logs', 'events', 'files'],
    started,
    now: performance.now(),
  });
}
