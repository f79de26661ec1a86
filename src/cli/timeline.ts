/**
 * `exhunt timeline ROOT`: every finding of a scan and the file-system times of the web and
 * artifact folders, in one ordered timeline of the attack window (text, Timesketch CSV,
 * JSONL, JSON report with `timeline`, or an HTML page). Exit codes as `scan`.
 */
import type { Command } from 'commander';
import { addReportOptions, readReportOptions, scanOptionsOf, type ReportOptions } from './common.js';
import { action } from './run.js';
import { createProgress } from './progress.js';
import { exitCodeFor, openOutput } from './emit-report.js';
import { UsageError } from './errors.js';
import { TIMELINE_FORMATS, type TimelineDoc } from '../report/timeline-types.js';
import { parseDuration, parseUtc } from '../engines/timeline/time.js';
import type { WindowOptions } from '../engines/timeline/window.js';

function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positive(name: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name}: expected a positive whole number, got ${String(v)}`);
  return n;
}

function timeOption(name: string, v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = parseUtc(v);
  if (t === null) throw new UsageError(`${name}: expected an ISO 8601 time (no zone: UTC), got ${v}`);
  return t;
}

/** --pad, --from, --to, --all as window options (checked). */
export function readWindowOptions(raw: Record<string, unknown>): WindowOptions {
  const pad = parseDuration(typeof raw.pad === 'string' ? raw.pad : '');
  if (pad === null) throw new UsageError(`--pad: expected a duration such as 2d, 12h, 30m, got ${String(raw.pad)}`);
  const from = timeOption('--from', raw.from);
  const to = timeOption('--to', raw.to);
  if (from !== undefined && to !== undefined && from > to) throw new UsageError('--from is after --to');
  return { padMs: pad, from, to, all: Boolean(raw.all) };
}

async function emit(doc: TimelineDoc, opts: ReportOptions): Promise<number> {
  const { out, tty, close } = await openOutput(opts);
  const { writeTimeline } = await import('../report/timeline-writers.js');
  await writeTimeline(doc, opts.format, out, tty ? { width: process.stdout.columns } : {});
  await close('timeline');
  return exitCodeFor(doc.report, opts.failOn, opts.strict);
}

export function registerTimeline(program: Command): string[] {
  const cmd = program
    .command('timeline <root>')
    .description('one ordered timeline of the attack window: every finding and the file-system times of web and artifact folders')
    .option('--pad <duration>', 'widen the window (first to last finding at medium or above) by this much each side', '2d')
    .option('--from <time>', 'window start (ISO 8601; no zone means UTC), instead of the findings')
    .option('--to <time>', 'window end (ISO 8601; no zone means UTC), instead of the findings')
    .option('--all', 'no window: keep every file-system time', false)
    .option('--max-files <n>', 'stop the file-time walk after N files (says so when it does)', '200000')
    .option('--walk-seconds <s>', 'stop the file-time walk after S seconds (says so when it does)', '300')
    .option('--mft-csv <file>', 'MFTECmd $MFT CSV of the system drive (repeatable; *_MFTECmd_$MFT_Output.csv in ROOT or ROOT/FileSystem is used anyway)', collectList)
    .option('--host <name>', 'value of the host column (default: the evidence root folder name)')
    .option('--exchange-path <path>', 'Exchange install folder when not in the default place (Windows or evidence path)')
    .option('--build <build>', 'Exchange build to assume when the evidence does not show it')
    .option('--max-scan-size <mb>', 'files above this size (MB) are hashed but not content-scanned', '20');
  addReportOptions(cmd, TIMELINE_FORMATS).action(
    action(async (root: string, raw: Record<string, unknown>) => {
      const opts = readReportOptions(raw);
      const window = readWindowOptions(raw);
      const maxFiles = positive('--max-files', raw.maxFiles);
      const walkSeconds = positive('--walk-seconds', raw.walkSeconds);
      const progress = createProgress(!opts.quiet);
      const { runTimeline } = await import('../engines/timeline/run-timeline.js');
      const run = await runTimeline(root, {
        scan: scanOptionsOf(opts, raw),
        window,
        maxFiles,
        maxWalkMs: walkSeconds * 1000,
        host: raw.host as string | undefined,
        mftCsvs: (raw.mftCsv as string[] | undefined) ?? [],
      }, progress);
      progress.done();
      return emit(run, opts);
    }),
  );
  return ['timeline'];
}

/** The same registration under the name the lead wires (`register(program)`). */
export const register = registerTimeline;
