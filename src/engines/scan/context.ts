/**
 * What every scan stage shares: options, the sink for findings, errors and statistics, and
 * coverage. Stages add to it; the orchestrator turns it into a Report at the end.
 */
import type { LiveHost } from '../../evidence/live.js';
import type { Finding, ReportError } from '../../findings/types.js';
import type { ReportErrorCode } from '../../findings/error-codes.js';
import { sortFindings } from '../../findings/order.js';
import type { ParseIssue } from '../../parsers/types.js';
import type { Baseline } from '../baseline/baseline.js';
import { FindingSpool } from '../../findings/spool.js';

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
  /**
   * Past this many findings, they go to a temporary file (findings/spool.ts) and memory keeps
   * only their order; unset: all stay in memory. For commands that write the report and exit
   * (a raw log hunt over many gigabytes); a long-running process would hold the file.
   */
  readonly spoolAfter?: number | undefined;
  /** Known-good inventory (`--baseline FILE`): web-exposed files new or changed against it are reported. */
  readonly baseline?: Baseline | undefined;
  /** Live mode's host commands (wevtutil, reg); tests inject their own. Default: the real ones. */
  readonly liveHost?: LiveHost | undefined;
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
  /** Notes for the report that are not failures (e.g. expired indicators left out). */
  readonly notes: string[] = [];

  constructor(
    readonly options: ScanOptions,
    readonly progress: ProgressSink,
  ) {}

  /** Where findings go once there are more than `options.spoolAfter`. */
  private spool: FindingSpool | null = null;

  emit(f: Finding): void {
    if (this.spool) {
      this.spool.add(f);
      return;
    }
    this.findings.push(f);
    const limit = this.options.spoolAfter;
    if (limit !== undefined && this.findings.length > limit) {
      this.spool = new FindingSpool();
      for (const g of this.findings.splice(0)) this.spool.add(g);
    }
  }

  /** Every finding in report order (`sortFindings`); read back from the spool when there is one. */
  sortedFindings(): readonly Finding[] {
    return this.spool ? this.spool.sorted() : sortFindings(this.findings);
  }

  /** Keys of the errors listed so far: the same problem (path, line, message) is listed once. */
  private readonly errorKeys = new Set<string>();

  /** False when the same problem is already listed. */
  private firstTime(path: string, line: number | null, message: string): boolean {
    const key = `${path}\u0000${line}\u0000${message}`;
    if (this.errorKeys.has(key)) return false;
    this.errorKeys.add(key);
    return true;
  }

  error(path: string, line: number | null, message: string, code?: ReportErrorCode): void {
    if (!this.firstTime(path, line, message)) return;
    this.errors.push({ path, line, message, ...(code ? { code } : {}) });
  }

  /** Something the run could not examine: an error entry and a "Not checked" summary line. */
  notChecked(what: string, path: string, message: string, code: ReportErrorCode = 'EXH-E001'): void {
    if (!this.firstTime(path, null, message)) return;
    this.errors.push({ path, line: null, message, code, notChecked: what });
  }

  /** Parser issues count as skipped records and are listed as errors. */
  issue(i: ParseIssue): void {
    this.counters.skippedRecords += 1;
    this.error(i.path, i.line, i.message);
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
