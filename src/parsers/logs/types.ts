/**
 * Options and counters shared by the log parsers (`src/parsers/logs/`). The records themselves
 * are `LogRecord` from `../types.ts`.
 */
import type { LogFamily, LogRecord, ParseIssue } from '../types.js';
import type { ReadBuffers } from './sources.js';

/** Counters for one or many parsed files; the caller owns the object and passes it in. */
export interface ParseStats {
  /** Physical lines read (directives included). */
  lines: number;
  /** Records produced (data lines dropped by a pre-screen are in `filtered`, not here). */
  records: number;
  /** Lines that could not become a record: too long, binary, before any `#Fields`, unparseable. */
  skipped: number;
  /** Data lines dropped by `prefilter`/`needles`/`lineScreen` (read, not parsed, not errors). */
  filtered: number;
  /** Bytes read after decompression and decoding. */
  bytes: number;
  /** Files (or archive members) opened. */
  files: number;
}

export function createParseStats(): ParseStats {
  return { lines: 0, records: 0, skipped: 0, filtered: 0, bytes: 0, files: 0 };
}

export interface OpenLogOptions {
  /** Force a family instead of detecting it from the header and the folder. */
  readonly family?: LogFamily;
  readonly onIssue: (issue: ParseIssue) => void;
  readonly stats?: ParseStats;
  /** Lines longer than this many bytes are skipped and reported (default 1 MiB). */
  readonly maxLineBytes?: number;
  /**
   * Cheap test on a raw data line (UTF-8 bytes, no line ending) before it is decoded and split:
   * return false to drop it. Directive lines (`#...`) always pass. Use it only for a literal
   * pre-screen that every rule implies; dropped lines count in `stats.filtered`.
   */
  readonly prefilter?: (line: Buffer) => boolean;
  /**
   * Faster pre-screen than `prefilter`: literals searched chunk-wide (ASCII case-insensitive);
   * a data line that contains none is dropped unparsed (counted in `stats.filtered`). A function
   * is asked once the file's family is known: `null` keeps every line, `[]` drops every data line.
   */
  readonly needles?: readonly string[] | ((family: LogFamily) => readonly string[] | null);
  /**
   * Finer than `needles` (and used instead): asked once the family is known; null keeps every
   * line. A data line is kept only if it contains a needle and every literal of some term.
   */
  readonly lineScreen?: (family: LogFamily) => LineScreen | null;
  /**
   * With `needles` or `prefilter`: called with the timestamp of dropped lines, once per run of
   * lines sharing the same hour, so coverage still sees every hour the file spans.
   */
  readonly onDroppedTime?: (time: string, path: string, family: LogFamily) => void;
  /** Read buffers reused across files read one after another (`createReadBuffers`). */
  readonly readBuffers?: ReadBuffers;
}

/**
 * A line pre-screen: ASCII literals (any case). `needles` are searched chunk-wide; a line
 * with none is dropped. `terms`: a line with a needle is kept only if it contains every literal
 * of at least one term (so every term must hold one of the needles or a longer form of one).
 * No needle at all (`[]`) drops every data line.
 */
export interface LineScreen {
  readonly needles: readonly string[];
  readonly terms: readonly (readonly string[])[];
}

/** What a parser needs from the run: where to report, what to count. */
export interface ParserContext {
  readonly path: string;
  readonly onIssue: (issue: ParseIssue) => void;
  readonly stats: ParseStats;
}

/** A stateful line parser for one file: directives change its state, data lines give records. */
export interface LineParser {
  /**
   * One decoded line (no line ending); returns a record, or null for directives and skips.
   * `cut`: only the head of a line longer than the reader's limit.
   */
  line(text: string, lineNo: number, cut?: boolean): LogRecord | null;
  /** A further record the last `line` call read (a parser may read two from one line). */
  takeQueued?(): LogRecord | null;
  /** End of input: flush pending state (e.g. an open quoted CSV field) and report summaries. */
  end(): LogRecord | null;
  /** The time of a data line from its first ~40 characters, when the format puts it first. */
  timeOfHead(head: string): string | null;
}
