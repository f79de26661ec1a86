/**
 * File-system times of the files in the web-exposed folders (IIS virtual directories, the
 * Exchange FrontEnd and ClientAccess folders) and the artifact locations discovery found:
 * modified, accessed, changed and created where the platform gives a creation time (Linux
 * often gives none, or 0: "created unknown"). The walk only stats (opens nothing) and runs
 * before the scan reads any file, since reading can move a file's access time on a writable
 * mount. It is bounded by a file count and a time budget; when it stops early it says so.
 */
import type { EvidenceRoot } from '../../evidence/root.js';
import { walkOptions, walkPlaces, type Sources, type WalkPlace } from '../../evidence/sources.js';
import { walkFiles } from '../../evidence/walk.js';
import type { FileRecord, ParseIssue } from '../../parsers/types.js';
import { isoMs, micros, parseUtc } from './time.js';
import type { TimelineEvent } from './types.js';

/** The times of one file, read before anything opens it (reading a file can move its access time). */
export interface FileStat {
  readonly path: string;
  readonly size: number;
  readonly mtime: string | null;
  readonly atime: string | null;
  readonly ctime: string | null;
  readonly birthtime: string | null;
  /** True for a web-exposed folder, false for an artifact folder. */
  readonly web: boolean;
}

export interface WalkLimits {
  /** Stop after this many files. */
  readonly maxFiles: number;
  /** Stop after this many milliseconds of walking. */
  readonly maxMs: number;
  onError(e: ParseIssue): void;
  /** Clock for the time budget (tests). */
  readonly now?: () => number;
}

export interface FileStats {
  readonly files: readonly FileStat[];
  /** Why the walk stopped early, or null when it saw every file. */
  readonly truncated: string | null;
}

export interface EventOptions {
  readonly host: string;
  /** True when a time belongs in the timeline (the attack window). */
  keep(ms: number): boolean;
}

export interface FileTimes {
  readonly events: TimelineEvent[];
  readonly files: number;
  /** Entries of an MFTECmd $MFT CSV inside the folders (see mft-csv.ts). */
  readonly mftEntries?: number;
  readonly dropped: number;
  readonly createdUnknown: number;
  readonly truncated: string | null;
}

/** Timesketch-style descriptions of the four file times. */
const TIMES: readonly (readonly [keyof Pick<FileStat, 'mtime' | 'atime' | 'ctime' | 'birthtime'>, string])[] = [
  ['birthtime', 'File Created'],
  ['mtime', 'File Modified'],
  ['atime', 'File Accessed'],
  ['ctime', 'Metadata Changed'],
];

/** The events of one file's times (kept or dropped by `keep`). */
export function fileTimeEvents(file: FileStat, opts: EventOptions): { events: TimelineEvent[]; dropped: number } {
  const events: TimelineEvent[] = [];
  let dropped = 0;
  const where = file.web ? 'web folder' : 'artifact folder';
  const unknownBirth = file.birthtime === null ? ', created unknown' : '';
  for (const [key, desc] of TIMES) {
    const v = file[key];
    const ms = v === null ? null : parseUtc(v);
    if (ms === null) continue;
    if (!opts.keep(ms)) {
      dropped += 1;
      continue;
    }
    events.push({
      datetime: isoMs(ms),
      timestamp: micros(ms),
      timestamp_desc: desc,
      message: `${desc}: ${file.path} (${where}, ${file.size} bytes${key === 'mtime' ? unknownBirth : ''})`,
      source: 'filesystem',
      path: file.path,
      line: null,
      record_id: null,
      severity: null,
      rule_id: null,
      finding_id: null,
      host: opts.host,
    });
  }
  return { events, dropped };
}

/** The folders to walk: outermost web folders first, then outermost artifact folders. */
export function timelineDirs(sources: Sources): WalkPlace[] {
  return walkPlaces(sources);
}

function statOf(file: FileRecord, web: boolean): FileStat {
  return { path: file.path, size: file.size, mtime: file.mtime, atime: file.atime, ctime: file.ctime, birthtime: file.birthtime, web };
}

/** Walks `dirs` (each file once, by stat only: no file is opened) within the limits. */
export async function collectFileStats(root: EvidenceRoot, dirs: readonly WalkPlace[], limits: WalkLimits): Promise<FileStats> {
  const now = limits.now ?? (() => Date.now());
  const started = now();
  const seen = new Set<string>();
  const files: FileStat[] = [];
  let truncated: string | null = null;
  walk: for (const d of dirs) {
    for await (const file of walkFiles(root, d.abs, walkOptions(d, (e) => limits.onError(e)))) {
      if (seen.has(file.absPath)) continue;
      if (seen.size >= limits.maxFiles) {
        truncated = `file walk stopped after ${seen.size} files (limit ${limits.maxFiles}): later files have no file-system times here`;
        break walk;
      }
      if (now() - started > limits.maxMs) {
        truncated = `file walk stopped after ${((now() - started) / 1000).toFixed(1)} s (limit ${limits.maxMs / 1000} s) and ${seen.size} files`;
        break walk;
      }
      seen.add(file.absPath);
      files.push(statOf(file, d.web));
    }
  }
  return { files, truncated };
}

/** The timeline events of collected file times, inside the window only (the rest counted). */
export function fileTimes(stats: FileStats, opts: EventOptions): FileTimes {
  const events: TimelineEvent[] = [];
  let dropped = 0;
  let createdUnknown = 0;
  for (const f of stats.files) {
    if (f.birthtime === null) createdUnknown += 1;
    const r = fileTimeEvents(f, opts);
    events.push(...r.events);
    dropped += r.dropped;
  }
  return { events, files: stats.files.length, dropped, createdUnknown, truncated: stats.truncated };
}
