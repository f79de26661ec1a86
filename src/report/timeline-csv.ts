/**
 * The timeline as CSV in the layout Timesketch imports: the first columns are `message`,
 * `datetime` (ISO 8601), `timestamp_desc` (what the time is) and `timestamp` (microseconds
 * since the Unix epoch), then our own columns. Timesketch's import guide: "Mandatory fields:
 * message, datetime (ISO8601), timestamp_desc", header row first, any further columns kept
 * as attributes (google/timesketch docs/guides/user/import-from-json-csv.md, commit
 * 0a88c100d0315e070fcccd8b9742ac5fcd2d3823, https://timesketch.org/guides/user/import-from-json-csv/);
 * `timestamp` as "microseconds since Unix epoch" is from its earlier guide
 * (docs/CreateTimelineFromJSONorCSV.md). RFC 4180 through csv-stringify; every string cell
 * through `csvCell`, so a hostile file name cannot become a spreadsheet formula.
 */
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { TimelineEvent } from '../engines/timeline/types.js';
import { csvCell } from './escape.js';
import { flushed, writeChunk } from './stream.js';
import type { TimelineDoc, TimelineWriter } from './timeline-types.js';

type Cell = string | number | null;

const COLUMNS: readonly (readonly [string, (e: TimelineEvent) => Cell])[] = [
  ['message', (e) => e.message],
  ['datetime', (e) => e.datetime],
  ['timestamp_desc', (e) => e.timestamp_desc],
  ['timestamp', (e) => e.timestamp],
  ['source', (e) => e.source],
  ['path', (e) => e.path],
  ['line', (e) => e.line],
  ['record_id', (e) => e.record_id],
  ['severity', (e) => e.severity],
  ['rule_id', (e) => e.rule_id],
  ['finding_id', (e) => e.finding_id],
  ['host', (e) => e.host],
];

export const TIMELINE_CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

function cell(v: Cell): Cell {
  return typeof v === 'string' ? csvCell(v) : v;
}

function line(cells: readonly Cell[]): string {
  return stringify([cells], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

export const timelineCsvWriter: TimelineWriter = {
  format: 'csv',
  async write(doc: TimelineDoc, out: Writable): Promise<void> {
    await writeChunk(out, line(TIMELINE_CSV_COLUMNS));
    for (const e of doc.timeline.events) await writeChunk(out, line(COLUMNS.map(([, get]) => cell(get(e)))));
    await flushed(out);
  },
};
