/**
 * JSON (the whole report, 2-space indented) and JSONL (one finding per line) writers. Strings
 * keep the evidence exactly; control characters appear only as JSON escapes. Both write in
 * batches of findings (never one string of the whole output).
 */
import type { Writable } from 'node:stream';
import type { Report } from '../findings/types.js';
import type { ReportWriter } from './types.js';
import { terminalSafeJson } from './escape.js';
import { spooledLines } from '../findings/spool.js';
import { flushed, writeLong, writeQueued } from './stream.js';

/**
 * Lines are written in batches of about this many characters: one write per finding cost more
 * than the JSON itself. Kept small: a 64 Ki-character batch (128 KiB when two-byte) lands in
 * V8's large-object space, and made the writer 5x slower than writing line by line.
 */
const BATCH_CHARS = 16 * 1024;

/** Stands for the findings while the rest of the report is stringified (a value, so key order stays). */
const FINDINGS_MARK = 'exhunt:findings';
/** The top-level `findings` member as JSON.stringify(…, null, 2) writes it: only structure starts a line with it. */
const FINDINGS_MEMBER = `\n  "findings": ${JSON.stringify(FINDINGS_MARK)}`;
/** Indentation of a finding's lines inside the report's `findings` array. */
const ITEM_INDENT = '\n    ';

/**
 * The whole report, byte for byte what `JSON.stringify(report, null, 2)` gives, written a
 * batch of findings at a time: one string of the whole document (tens of MB, two-byte when
 * an excerpt is) and its escaping cost more than the rest of a raw log hunt's main thread.
 */
export const jsonWriter: ReportWriter = {
  format: 'json',
  async write(report: Report, out: Writable): Promise<void> {
    const head = JSON.stringify({ ...report, findings: FINDINGS_MARK }, null, 2);
    const at = head.indexOf(FINDINGS_MEMBER);
    if (report.findings.length === 0 || at === -1) {
      await writeLong(out, `${terminalSafeJson(JSON.stringify(report, null, 2))}\n`);
      await flushed(out);
      return;
    }
    await writeLong(out, terminalSafeJson(`${head.slice(0, at)}\n  "findings": [`));
    let batch = '';
    for (const [i, f] of report.findings.entries()) {
      // JSON strings hold no raw line feed: every one in a finding's text starts a line.
      batch += `${i === 0 ? '' : ','}${ITEM_INDENT}${JSON.stringify(f, null, 2).replace(/\n/g, ITEM_INDENT)}`;
      if (batch.length >= BATCH_CHARS) {
        await writeQueued(out, terminalSafeJson(batch));
        batch = '';
      }
    }
    await writeLong(out, terminalSafeJson(`${batch}\n  ]${head.slice(at + FINDINGS_MEMBER.length)}\n`));
    await flushed(out);
  },
};

/** One finding per line; each line is a complete JSON object (see validateFinding). */
export const jsonlWriter: ReportWriter = {
  format: 'jsonl',
  async write(report: Report, out: Writable): Promise<void> {
    let batch = '';
    // Findings spooled to a file come as the JSON text stored there (findings/spool.ts).
    const lines = spooledLines(report.findings) ?? (function* () {
      for (const f of report.findings) yield JSON.stringify(f);
    })();
    for (const line of lines) {
      batch += `${line}\n`;
      if (batch.length >= BATCH_CHARS) {
        // Escaping the batch at once equals escaping each line: only characters inside strings change.
        await writeQueued(out, terminalSafeJson(batch));
        batch = '';
      }
    }
    if (batch !== '') await writeQueued(out, terminalSafeJson(batch));
    await flushed(out);
  },
};
