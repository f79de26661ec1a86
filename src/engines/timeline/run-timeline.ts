/**
 * `timeline ROOT`: records the file-system times of the web and artifact folders (before the
 * scan reads any file), runs the scan, takes the attack window from its findings, keeps the
 * file times inside it (and those of an MFTECmd $MFT CSV, when there is one) and merges
 * them with the findings into one ordered timeline.
 */
import path from 'node:path';
import { openEvidenceRoot } from '../../evidence/root.js';
import { discoverSources } from '../../evidence/discover.js';
import type { Report, ReportError } from '../../findings/types.js';
import type { ProgressSink, ScanOptions } from '../scan/context.js';
import { runScan } from '../scan/run-scan.js';
import { buildTimeline } from './build.js';
import { collectFileStats, fileTimes, timelineDirs } from './file-times.js';
import type { Timeline } from './types.js';
import { attackWindow, inWindow, type WindowOptions } from './window.js';
import { addMftTimes, findMftCsvs } from './mft-find.js';

/** An MFT of a busy Exchange server holds a few million entries. */
const DEFAULT_MAX_MFT_ROWS = 20_000_000;

export interface TimelineOptions {
  readonly scan: ScanOptions;
  readonly window: WindowOptions;
  readonly maxFiles: number;
  readonly maxWalkMs: number;
  /** MFTECmd $MFT CSVs given with --mft-csv (others are looked for in ROOT and ROOT/FileSystem). */
  readonly mftCsvs?: readonly string[];
  /** Rows read per $MFT CSV at most. */
  readonly maxMftRows?: number;
  /** The `host` column; default: the report's hostname, else the root folder's name. */
  readonly host?: string | undefined;
}

export interface TimelineRun {
  readonly report: Report;
  readonly timeline: Timeline;
}

/** True when the input names a live Windows drive (`C:\\`), as run-scan.ts decides it. */
function isLiveDrive(input: string): boolean {
  return process.platform === 'win32' && /^[A-Za-z]:[\\/]?$/.test(input);
}

function hostOf(report: Report, input: string, given: string | undefined): string {
  return given ?? report.target.hostname ?? path.basename(path.resolve(input));
}

export async function runTimeline(input: string, opts: TimelineOptions, progress: ProgressSink): Promise<TimelineRun> {
  // File times first: the scan reads the files, which can move their access times.
  progress.update('file times');
  const errors: ReportError[] = [];
  const listed = new Set<string>();
  const onError = (e: { path: string; line: number | null; message: string }): void => {
    const key = `${e.path}\u0000${e.line}\u0000${e.message}`;
    if (listed.has(key)) return;
    listed.add(key);
    errors.push({ path: e.path, line: e.line, message: e.message });
  };
  const root = await openEvidenceRoot(input, { live: isLiveDrive(input) });
  const sources = await discoverSources(root, { exchangePath: opts.scan.exchangePath, onError: () => {} });
  const dirs = timelineDirs(sources);
  const stats = await collectFileStats(root, dirs, { maxFiles: opts.maxFiles, maxMs: opts.maxWalkMs, onError });
  const scanned = await runScan(input, opts.scan, progress);
  const host = hostOf(scanned, input, opts.host);
  const window = attackWindow(scanned.findings, opts.window);
  const keep = (ms: number): boolean => inWindow(window, ms);
  const mft = await findMftCsvs(root, opts.mftCsvs ?? []);
  const files = await addMftTimes(fileTimes(stats, { host, keep }), mft, {
    drivePrefix: root.drivePrefix,
    dirs: dirs.map((d) => d.evidencePath),
    host,
    keep,
    onError,
    maxRows: opts.maxMftRows ?? DEFAULT_MAX_MFT_ROWS,
  });
  const timeline = buildTimeline(scanned.findings, window, host, files);
  // The scan walked the same folders and already listed their errors: add only new ones.
  const known = new Set(scanned.errors.map((e) => `${e.path}\n${e.message}`));
  const fresh = errors.filter((e) => !known.has(`${e.path}\n${e.message}`));
  return { report: { ...scanned, errors: [...scanned.errors, ...fresh] }, timeline };
}
