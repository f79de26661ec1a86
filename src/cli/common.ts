/** Options shared by the reporting commands, and their parsing into typed values. */
import { Option, type Command } from 'commander';
import { SEVERITIES, type Severity } from '../findings/types.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/types.js';
import { UsageError } from './errors.js';
import type { ScanOptions } from '../engines/scan/context.js';

export interface ReportOptions {
  readonly format: ReportFormat;
  readonly output: string | undefined;
  readonly failOn: Severity;
  readonly asOf: string;
  readonly quiet: boolean;
  readonly raw: boolean;
  readonly rules: readonly string[];
  readonly ioc: readonly string[];
  readonly since: string | undefined;
  readonly until: string | undefined;
  /** Exit 2 when the report has errors (something could not be examined). */
  readonly strict: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds --format, --output, --fail-on, --as-of, --quiet, --raw, --rules, --ioc, --since, --until. */
export function addReportOptions(cmd: Command, formats: readonly string[] = REPORT_FORMATS): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above SEVERITY')
        .choices(SEVERITIES)
        .default('medium'),
    )
    .option('--as-of <date>', 'date (YYYY-MM-DD) support status and deadlines are judged at')
    .option('-q, --quiet', 'no progress, no summary chatter on stderr', false)
    .option('--raw', 'one finding per matching record (no aggregation)', false)
    .option('--rules <path>', 'extra rule file or folder (repeatable)', collect)
    .option('--ioc <file>', 'extra IOC file for this run (repeatable)', collect)
    .option('--since <time>', 'ignore evidence before TIME (ISO 8601)')
    .option('--until <time>', 'ignore evidence after TIME (ISO 8601)')
    .option('--strict', 'exit 2 when anything could not be examined (the report has errors)', false);
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function parseTime(name: string, v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${name}: not a date or time: ${v}`);
  return d.toISOString();
}

export function readReportOptions(opts: Record<string, unknown>): ReportOptions {
  let asOf = isoDate(new Date());
  if (typeof opts.asOf === 'string') {
    const s = opts.asOf;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) {
      throw new UsageError(`--as-of: expected a date YYYY-MM-DD, got ${s}`);
    }
    asOf = s;
  }
  return {
    format: opts.format as ReportFormat,
    output: opts.output as string | undefined,
    failOn: opts.failOn as Severity,
    asOf,
    quiet: Boolean(opts.quiet),
    raw: Boolean(opts.raw),
    rules: (opts.rules as string[] | undefined) ?? [],
    ioc: (opts.ioc as string[] | undefined) ?? [],
    since: parseTime('--since', opts.since),
    until: parseTime('--until', opts.until),
    strict: Boolean(opts.strict),
  };
}

/** `--max-scan-size MB` as bytes (a positive number of megabytes). */
export function maxScanBytes(v: unknown): number {
  const text = typeof v === 'string' ? v : '';
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb <= 0) throw new UsageError(`--max-scan-size: expected a positive number of MB, got ${text}`);
  return Math.round(mb * 1024 * 1024);
}

/**
 * Findings a command that writes its report and exits keeps in memory; past this, all go to a
 * temporary file and memory keeps their order only (findings/spool.ts). A raw hunt makes
 * ~28,000 on 1 GB of the bench's busy logs (bench/RESULTS.md); below the limit nothing changes.
 */
export const SPOOL_AFTER = 50_000;

/** The scan options every scanning command (scan, scope, timeline) takes from its command line. */
export function scanOptionsOf(opts: ReportOptions, raw: Record<string, unknown>): ScanOptions {
  return {
    asOf: opts.asOf,
    raw: opts.raw,
    rules: opts.rules,
    ioc: opts.ioc,
    since: opts.since,
    until: opts.until,
    exchangePath: raw.exchangePath as string | undefined,
    build: raw.build as string | undefined,
    maxScanBytes: maxScanBytes(raw.maxScanSize),
  };
}
