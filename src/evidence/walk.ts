/**
 * Streams the files below a folder of an evidence root as FileRecords, one at a time.
 * Includes hidden files; follows links only while their target stays inside the root;
 * detects folder loops; reports unreadable folders, files and broken links and goes on.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FileRecord, ParseIssue } from '../parsers/types.js';
import { fsErrorText } from './errors.js';
import { entryPath } from './root.js';
import type { EvidenceRoot } from './root.js';

export interface WalkOptions {
  onError(e: ParseIssue): void;
  /** Folder levels below `dirAbs` to enter (0: only its own files). Unlimited by default. */
  readonly maxDepth?: number;
  /** Keeps a file when true (given its evidence path). */
  filter?(evidencePath: string): boolean;
  /** Skips a folder (and all below it) when true (given its evidence path). */
  prune?(evidencePath: string): boolean;
}

/** Entries of a folder whose stats are read concurrently. */
const STAT_BATCH = 64;

interface Pending {
  readonly abs: string;
  readonly depth: number;
}

function iso(d: Date): string | null {
  const t = d.getTime();
  return Number.isFinite(t) ? d.toISOString() : null;
}

/** Reads at most `limit` bytes (default: the whole file) from the start of a file. */
export async function readHead(abs: string, limit?: number): Promise<Buffer> {
  const fh = await fs.open(abs, 'r');
  try {
    const size = (await fh.stat()).size;
    const want = Math.max(0, Math.min(limit ?? size, size));
    const buf = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === want ? buf : buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** A FileRecord for a regular file (`st` from stat, links already followed). */
export function fileRecord(abs: string, evidencePath: string, st: Stats): FileRecord {
  return {
    kind: 'file',
    path: evidencePath,
    absPath: abs,
    size: st.size,
    mtime: iso(st.mtime),
    atime: iso(st.atime),
    ctime: iso(st.ctime),
    birthtime: st.birthtimeMs > 0 ? iso(st.birthtime) : null,
    location: { path: evidencePath },
    read: (limit?: number) => readHead(abs, limit),
    open: (): Readable => createReadStream(abs),
  };
}

class Walker {
  private readonly seen = new Set<string>();

  constructor(
    private readonly root: EvidenceRoot,
    private readonly opts: WalkOptions,
  ) {}

  private error(abs: string, message: string): void {
    this.opts.onError({ path: this.root.toEvidencePath(abs), line: null, message });
  }

  /** Marks a folder visited; false when it was seen before (a loop or a second link). */
  private enter(st: Stats): boolean {
    const key = `${st.dev}:${st.ino}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  /** Follows a link: its target's stats, or why it is not followed (broken, leaving the root). */
  private async follow(abs: string): Promise<Stats | string> {
    let st: Stats;
    try {
      st = await fs.stat(abs);
    } catch (e) {
      const code = fsErrorText(e);
      return code === 'ENOENT' ? 'broken link: its target does not exist' : `cannot follow link (${code})`;
    }
    if (!(await this.root.contains(abs))) return 'link leaves the evidence root: not followed';
    return st;
  }

  private async list(abs: string): Promise<Dirent[] | null> {
    try {
      const ents = await fs.readdir(abs, { withFileTypes: true });
      return ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      this.error(abs, `cannot read folder (${fsErrorText(e)})`);
      return null;
    }
  }

  /** Stats of one entry (links followed when they stay inside), or why there are none. */
  private async statEntry(d: Dirent, abs: string): Promise<Stats | string> {
    try {
      return d.isSymbolicLink() ? await this.follow(abs) : await fs.lstat(abs);
    } catch (e) {
      return `cannot read file information (${fsErrorText(e)})`;
    }
  }

  async *walkDir(dir: Pending, stack: Pending[]): AsyncGenerator<FileRecord> {
    const ents = await this.list(dir.abs);
    if (!ents) return;
    const subdirs: Pending[] = [];
    for (let i = 0; i < ents.length; i += STAT_BATCH) {
      const batch = ents.slice(i, i + STAT_BATCH).map((d) => ({ d, abs: entryPath(dir.abs, d.name) }));
      const stats = await Promise.all(batch.map(({ d, abs }) => this.statEntry(d, abs)));
      for (const [j, { abs }] of batch.entries()) {
        const st = stats[j] as Stats | string;
        if (typeof st === 'string') this.error(abs, st);
        else {
          const rec = this.visit(abs, st, dir, subdirs);
          if (rec) yield rec;
        }
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as Pending);
  }

  /** A file's record, or null after queueing a folder (or reporting what is neither). */
  private visit(abs: string, st: Stats, dir: Pending, subdirs: Pending[]): FileRecord | null {
    if (st.isFile()) {
      const evPath = this.root.toEvidencePath(abs);
      return !this.opts.filter || this.opts.filter(evPath) ? fileRecord(abs, evPath, st) : null;
    }
    if (!st.isDirectory()) {
      this.error(abs, 'not a regular file (device, pipe or socket): skipped');
      return null;
    }
    if (this.opts.maxDepth !== undefined && dir.depth >= this.opts.maxDepth) return null;
    if (this.opts.prune?.(this.root.toEvidencePath(abs))) return null;
    if (this.enter(st)) subdirs.push({ abs, depth: dir.depth + 1 });
    else this.error(abs, 'folder already visited (a link loop or a second link to it): not entered again');
    return null;
  }

  async *run(dirAbs: string): AsyncGenerator<FileRecord> {
    let st: Stats;
    try {
      st = await fs.stat(dirAbs);
    } catch (e) {
      this.error(dirAbs, `cannot read folder (${fsErrorText(e)})`);
      return;
    }
    if (!(await this.root.contains(dirAbs))) {
      this.error(dirAbs, 'folder is outside the evidence root: not walked');
      return;
    }
    if (!st.isDirectory()) {
      this.error(dirAbs, 'not a folder: not walked');
      return;
    }
    this.enter(st);
    const stack: Pending[] = [{ abs: dirAbs, depth: 0 }];
    for (let next = stack.pop(); next; next = stack.pop()) yield* this.walkDir(next, stack);
  }
}

/**
 * Files below `dirAbs` (depth first, names sorted), as FileRecords with evidence paths
 * relative to the root. Problems go to `onError` and the walk goes on.
 */
export function walkFiles(root: EvidenceRoot, dirAbs: string, opts: WalkOptions): AsyncGenerator<FileRecord> {
  return new Walker(root, opts).run(dirAbs);
}
