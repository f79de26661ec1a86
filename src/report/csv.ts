/**
 * CSV writer: one row per finding (its `class`, compromise or exposure, last), RFC 4180 (CRLF records, quoted where needed) via
 * csv-stringify. Every string cell passes `csvCell`, which neutralises formula triggers, so
 * a file name like `=HYPERLINK(...)` stays text when the file is opened in a spreadsheet.
 */
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { findingClass, type Finding, type Report } from '../findings/types.js';
import type { ReportWriter } from './types.js';
import { csvCell } from './escape.js';
import { flushed, writeQueued } from './stream.js';

type Cell = string | number | null;

/** The columns, in order, with how each is read from a finding. */
const COLUMNS: readonly (readonly [string, (f: Finding) => Cell | undefined])[] = [
  ['id', (f) => f.id],
  ['severity', (f) => f.severity],
  ['confidence', (f) => f.confidence],
  ['category', (f) => f.category],
  ['ruleId', (f) => f.ruleId],
  ['title', (f) => f.title],
  ['time', (f) => f.time],
  ['firstSeen', (f) => f.firstSeen],
  ['lastSeen', (f) => f.lastSeen],
  ['count', (f) => f.count],
  ['evidenceKind', (f) => f.evidence.kind],
  ['path', (f) => f.evidence.path],
  ['line', (f) => f.evidence.line],
  ['recordId', (f) => f.evidence.recordId],
  ['sha256', (f) => f.evidence.sha256],
  ['excerpt', (f) => f.evidence.excerpt],
  ['cves', (f) => f.cves.join(';')],
  ['attack', (f) => f.attack.join(';')],
  ['ruleSource', (f) => f.rule.source],
  ['author', (f) => f.rule.author],
  // What the finding is evidence of (findings/types.ts FINDING_CLASS): count the two apart.
  ['class', (f) => findingClass(f)],
];

export const CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

function cell(v: Cell | undefined): Cell {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? csvCell(v) : v;
}

function line(cells: readonly Cell[]): string {
  return stringify([cells], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

export const csvWriter: ReportWriter = {
  format: 'csv',
  async write(report: Report, out: Writable): Promise<void> {
    await writeQueued(out, line(CSV_COLUMNS));
    for (const f of report.findings) await writeQueued(out, line(COLUMNS.map(([, get]) => cell(get(f)))));
    await flushed(out);
  },
};
