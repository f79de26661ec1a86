/**
 * The record contract: what parsers stream out, one at a time. Every record carries its
 * location (file + line, file + record id, path + offset). Engines see only these shapes.
 */
import type { Readable } from 'node:stream';

export interface Location {
  /** Evidence path with `/` separators (relative to the scan root, or as given to `hunt`). */
  readonly path: string;
  readonly line?: number;
  readonly recordId?: number;
  readonly offset?: number;
}

/** Log families exhunt parses; the family decides which rules and field mappings apply. */
export const LOG_FAMILIES = [
  'iis',
  'httpproxy',
  'ecp-server',
  'ecp-activity',
  'rps-http',
  'rps-cmdlet',
  'oab',
  'exchange-csv',
] as const;
export type LogFamily = (typeof LOG_FAMILIES)[number];

/** One log line with named fields (W3C / Exchange CSV) or free text (`fields.message`). */
export interface LogRecord {
  readonly kind: 'log';
  readonly source: LogFamily;
  /** ISO 8601 UTC, when the line carries a time. */
  readonly time: string | null;
  readonly fields: Readonly<Record<string, string>>;
  readonly location: Location;
}

/** One Windows event log record. */
export interface EventRecord {
  readonly kind: 'event';
  readonly source: 'evtx';
  readonly time: string | null;
  readonly recordId: number;
  readonly eventId: number;
  readonly level: number | null;
  readonly channel: string | null;
  readonly provider: string | null;
  readonly computer: string | null;
  readonly data: Readonly<Record<string, string | null>>;
  readonly dataUnnamed: readonly (string | null)[];
  readonly userData: Readonly<Record<string, unknown>> | null;
  readonly location: Location;
}

/** A file found in the evidence, with its metadata and a lazy reader. */
export interface FileRecord {
  readonly kind: 'file';
  /** Evidence path with `/` separators. */
  readonly path: string;
  /** Absolute path on this machine (never printed in reports for tree scans). */
  readonly absPath: string;
  /**
   * The path's bytes when a name on it is not valid UTF-8 (`absPath` and `path` then show such
   * bytes as `\xNN` and cannot be opened): `read` and `open` use it.
   */
  readonly fsPath?: Buffer;
  readonly size: number;
  readonly mtime: string | null;
  readonly atime: string | null;
  readonly ctime: string | null;
  readonly birthtime: string | null;
  readonly location: Location;
  /** Reads at most `limit` bytes from the start of the file. */
  read(limit?: number): Promise<Buffer>;
  open(): Readable;
}

export type EvidenceRecord = LogRecord | EventRecord | FileRecord;

/** A problem with one place in the input; the parse goes on. */
export interface ParseIssue {
  readonly path: string;
  readonly line: number | null;
  readonly message: string;
}
