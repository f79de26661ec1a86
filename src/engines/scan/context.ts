/**
 * What every scan stage shares: options, the sink for findings, errors and statistics, and
 * coverage. Stages add to it; the orchestrator turns it into a Report at the end.
 */
import type { Finding, ReportError } from '../../findings/types.js';
import type { ParseIssue } from '../../parsers/types.js';
import type { Baseline } from '../baseline/baseline.js';

export interface ScanOptions {
  readonly asOf: string;
  readonly raw: boolean;
  readonly rules: readonly string[];
  readonly ioc: readonly string[];
  readonly since: string | undefined;
  readonly until: string | undefined;
  readonly exchangePath?: string | undefined;
  readonly build?: string | undefined;
  readonly maxScanBytes?: number | undefined;
  /** Known-good inventory (`--baseline FILE`): web-exposed files new or changed against it are reported. */
  readonly baseline?: Baseline | undefined;
}

export interface ProgressSink {
  update(phase: string, item?: string): void;
  tick(n?: number): void;
}

/** Mutable counters of one scan (owned by one ScanContext, never global). */
export interface ScanCounters {
  files: number;
  bytes: number;
  records: number;
  skippedRecords: number;
}

export class ScanContext {
  readonly findings: Finding[] = [];
  readonly errors: ReportError[] = [];
  readonly counters: ScanCounters = { files: 0, bytes: 0, records: 0, skippedRecords: 0 };
  /** Capability notes for the report (e.g. "YARA unavailable on this platform"). */
  readonly notes: string[] = [];

  constructor(
    readonly options: ScanOptions,
    readonly progress: ProgressSink,
  ) {}

  emit(f: Finding): void {
    this.findings.push(f);
  }

  error(path: string, line: number | null, message: string): void {
    this.errors.push({ path, line, message });
  }

  /** Parser issues count as skipped records and are listed as errors. */
  issue(i: ParseIssue): void {
    this.counters.skippedRecords += 1;
    this.errors.push({ path: i.path, line: i.line, message: i.message });
  }

  /** True when `time` is inside --since/--until (records without a time always pass). */
  inWindow(time: string | null): boolean {
    if (time === null) return true;
    const { since, until } = this.options;
    if (since !== undefined && time < since) return false;
    if (until !== undefined && time > until) return false;
    return true;
  }
}
