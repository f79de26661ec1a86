/** The report writers by format, and `writeReport`, the one entry point the commands use. */
import type { Writable } from 'node:stream';
import type { Report } from '../findings/types.js';
import type { ReportFormat, ReportWriter, WriteOptions } from './types.js';
import { csvWriter } from './csv.js';
import { htmlWriter } from './html.js';
import { jsonWriter, jsonlWriter } from './json.js';
import { textWriter } from './text.js';

const WRITERS: Readonly<Record<ReportFormat, ReportWriter>> = {
  text: textWriter,
  json: jsonWriter,
  jsonl: jsonlWriter,
  csv: csvWriter,
  html: htmlWriter,
};

export function writerFor(format: ReportFormat): ReportWriter {
  return WRITERS[format];
}

/** Writes `report` to `out` in `format`; resolves when the output has been flushed. */
export async function writeReport(report: Report, format: ReportFormat, out: Writable, opts: WriteOptions = {}): Promise<void> {
  await writerFor(format).write(report, out, opts);
}

export type { ReportFormat, ReportWriter, WriteOptions } from './types.js';
export { REPORT_FORMATS } from './types.js';
