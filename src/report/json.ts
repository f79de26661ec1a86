/**
 * JSON (the whole report, 2-space indented) and JSONL (one finding per line) writers. Strings
 * keep the evidence exactly; control characters appear only as JSON escapes.
 */
import type { Writable } from 'node:stream';
import type { Report } from '../findings/types.js';
import type { ReportWriter } from './types.js';
import { terminalSafeJson } from './escape.js';
import { flushed, writeChunk, writeLong } from './stream.js';

export const jsonWriter: ReportWriter = {
  format: 'json',
  async write(report: Report, out: Writable): Promise<void> {
    await writeLong(out, `${terminalSafeJson(JSON.stringify(report, null, 2))}\n`);
    await flushed(out);
  },
};

/** One finding per line; each line is a complete JSON object (see validateFinding). */
export const jsonlWriter: ReportWriter = {
  format: 'jsonl',
  async write(report: Report, out: Writable): Promise<void> {
    for (const f of report.findings) await writeChunk(out, `${terminalSafeJson(JSON.stringify(f))}\n`);
    await flushed(out);
  },
};
