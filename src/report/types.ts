/** The report writer interface: every output format implements it over the same Report. */
import type { Writable } from 'node:stream';
import type { Report, Severity } from '../findings/types.js';

export const REPORT_FORMATS = ['text', 'json', 'jsonl', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface WriteOptions {
  /** Text writer only: whether the sink is a terminal (colour allowed). */
  readonly color?: boolean;
  /** Text writer only: terminal width for tables. */
  readonly width?: number;
  /** Text writer only: the --fail-on threshold, to say in one line why the run exits 1. */
  readonly failOn?: Severity;
  /** Text writer only: findings listed per severity before "... and N more" (default 10). */
  readonly maxPerGroup?: number;
}

export interface ReportWriter {
  readonly format: ReportFormat;
  /** Writes the whole report to `out`, streaming where the format allows; resolves when flushed. */
  write(report: Report, out: Writable, opts?: WriteOptions): Promise<void>;
}
