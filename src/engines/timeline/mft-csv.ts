/**
 * File times from an MFTECmd `$MFT` CSV (the `FileSystem` output of a KAPE collection):
 * $STANDARD_INFORMATION (0x10) and $FILE_NAME (0x30) created, modified, record-changed and
 * accessed times of the files inside the web and artifact folders, deleted entries included.
 * Columns as MFTECmd writes them (EricZimmerman/MFTECmd, MFTECmd/MFTRecordOut.cs: ParentPath,
 * FileName, InUse, IsDirectory, FileSize, Created0x10, Created0x30, LastModified0x10,
 * LastModified0x30, LastRecordChange0x10, LastRecordChange0x30, LastAccess0x10,
 * LastAccess0x30, Timestomped); times in UTC as `yyyy-MM-dd HH:mm:ss.fffffff` (its default
 * `--dt`, MFTECmd/Program.cs). ParentPath is relative to the volume root (`.\inetpub\...`).
 * Optional: read only when such a file is given or found; streamed line by line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ParseIssue } from '../../parsers/types.js';
import { isoMs, micros, parseUtc } from './time.js';
import type { TimelineEvent } from './types.js';
import { splitCsv } from '../../parsers/logs/exchange-csv.js';
import { trimEndChar } from '../../evidence/trim.js';

/** Column → (timestamp_desc, attribute). */
const TIME_COLUMNS: readonly (readonly [string, string])[] = [
  ['Created0x10', 'File Created ($SI)'],
  ['Created0x30', 'File Created ($FN)'],
  ['LastModified0x10', 'File Modified ($SI)'],
  ['LastModified0x30', 'File Modified ($FN)'],
  ['LastRecordChange0x10', 'Metadata Changed ($SI)'],
  ['LastRecordChange0x30', 'Metadata Changed ($FN)'],
  ['LastAccess0x10', 'File Accessed ($SI)'],
  ['LastAccess0x30', 'File Accessed ($FN)'],
];

const REQUIRED = ['ParentPath', 'FileName', ...TIME_COLUMNS.map(([c]) => c)];

export interface MftOptions {
  /** Prefix of evidence paths on the system drive (`C/` for a KAPE tree, `` for a drive root). */
  readonly drivePrefix: string;
  /** Evidence paths of the folders whose files count (web and artifact folders). */
  readonly dirs: readonly string[];
  readonly host: string;
  keep(ms: number): boolean;
  onError(e: ParseIssue): void;
  /** Stop after this many rows. */
  readonly maxRows: number;
}

export interface MftTimes {
  readonly events: TimelineEvent[];
  readonly rows: number;
  readonly files: number;
  readonly dropped: number;
  readonly truncated: string | null;
}

/** One CSV record split into fields (RFC 4180 quoting); null when a quote is left open. */
export function splitCsvLine(line: string): string[] | null {
  const r = splitCsv(line);
  return r.open ? null : r.values;
}

/** `.\inetpub\wwwroot` + `x.aspx` → `C/inetpub/wwwroot/x.aspx`. */
export function mftEvidencePath(parent: string, name: string, drivePrefix: string): string {
  const rel = trimEndChar(parent.replace(/\\/g, '/').replace(/^\.?\/+|^\.$/, ''), '/');
  return `${drivePrefix}${rel === '' ? '' : `${rel}/`}${name}`;
}

function under(p: string, dirs: readonly string[]): boolean {
  const lower = p.toLowerCase();
  return dirs.some((d) => lower.startsWith(`${d.toLowerCase()}/`));
}

function rowEvents(get: (col: string) => string, where: string, opts: MftOptions): { events: TimelineEvent[]; dropped: number } {
  const deleted = get('InUse').toLowerCase() === 'false' ? ', deleted entry' : '';
  const stomped = get('Timestomped').toLowerCase() === 'true' ? ', MFTECmd: $SI before $FN (timestomped?)' : '';
  const events: TimelineEvent[] = [];
  let dropped = 0;
  for (const [col, desc] of TIME_COLUMNS) {
    const v = get(col);
    const ms = v === '' ? null : parseUtc(v);
    if (ms === null) continue;
    if (!opts.keep(ms)) {
      dropped += 1;
      continue;
    }
    events.push({
      datetime: isoMs(ms), timestamp: micros(ms), timestamp_desc: desc,
      message: `${desc}: ${where} ($MFT, ${get('FileSize') || '?'} bytes${deleted}${stomped})`,
      source: 'mft', path: where, line: null, record_id: null, severity: null, rule_id: null, finding_id: null, host: opts.host,
    });
  }
  return { events, dropped };
}

/** Reads one MFTECmd CSV (`evidencePath` names it in errors) and returns the events it admits. */
export async function readMftCsv(abs: string, evidencePath: string, opts: MftOptions): Promise<MftTimes> {
  const lines = createInterface({ input: createReadStream(abs, { encoding: 'utf8' }), crlfDelay: Infinity });
  let index: Map<string, number> | null = null;
  const events: TimelineEvent[] = [];
  let rows = 0;
  let files = 0;
  let dropped = 0;
  let truncated: string | null = null;
  for await (const raw of lines) {
    const cells = splitCsvLine(index === null ? raw.replace(/^\uFEFF/, '') : raw);
    if (index === null) {
      index = new Map((cells ?? []).map((c, i) => [c, i]));
      const missing = REQUIRED.filter((c) => !index?.has(c));
      if (missing.length > 0) {
        opts.onError({ path: evidencePath, line: 1, message: `not an MFTECmd $MFT CSV (missing ${missing.join(', ')}): not used` });
        lines.close();
        break;
      }
      continue;
    }
    if (rows >= opts.maxRows) {
      truncated = `$MFT CSV ${evidencePath}: stopped after ${rows} rows (limit ${opts.maxRows})`;
      lines.close();
      break;
    }
    rows += 1;
    if (cells === null) {
      opts.onError({ path: evidencePath, line: rows + 1, message: 'unbalanced quotes: row skipped' });
      continue;
    }
    const cols = index;
    const get = (col: string): string => cells[cols.get(col) ?? -1] ?? '';
    if (get('IsDirectory').toLowerCase() === 'true') continue;
    const where = mftEvidencePath(get('ParentPath'), get('FileName'), opts.drivePrefix);
    if (!under(where, opts.dirs)) continue;
    files += 1;
    const r = rowEvents(get, where, opts);
    events.push(...r.events);
    dropped += r.dropped;
  }
  return { events, rows, files, dropped, truncated };
}
