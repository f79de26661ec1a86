/**
 * Streams the files below a folder of an evidence root as FileRecords, one at a time.
 * Includes hidden files; follows links only while their target stays inside the root;
 * detects folder loops; reports unreadable folders, files and broken links and goes on.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FileRecord, ParseIssue } from '../parsers/types.js';
import { fsErrorText } from './errors.js';
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

  /** Follows a link: its target's stats, or null (reported) when broken or leaving the root. */
  private async follow(abs: string): Promise<Stats | null> {
    let st: Stats;
    try {
      st = await fs.stat(abs);
    } catch (e) {
      const code = fsErrorText(e);
      const what = code === 'ENOENT' ? 'broken link: its target does not exist' : `cannot follow link (${code})`;
      this.error(abs, what);
      return null;
    }
    if (!(await this.root.contains(abs))) {
      this.error(abs, 'link leaves the evidence root: not followed');
      return null;
    }
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

  async *walkDir(dir: Pending, stack: Pending[]): AsyncGenerator<FileRecord> {
    const ents = await this.list(dir.abs);
    if (!ents) return;
    const subdirs: Pending[] = [];
    for (const d of ents) {
      const abs = path.join(dir.abs, d.name);
      let st: Stats | null;
      try {
        st = d.isSymbolicLink() ? await this.follow(abs) : await fs.lstat(abs);
      } catch (e) {
        this.error(abs, `cannot read file information (${fsErrorText(e)})`);
        continue;
      }
      if (!st) continue;
      if (st.isDirectory()) {
        if (this.opts.maxDepth !== undefined && dir.depth >= this.opts.maxDepth) continue;
        if (this.opts.prune?.(this.root.toEvidencePath(abs))) continue;
        if (!this.enter(st)) {
          this.error(abs, 'folder already visited (a link loop or a second link to it): not entered again');
          continue;
        }
        subdirs.push({ abs, depth: dir.depth + 1 });
      } else if (st.isFile()) {
        const evPath = this.root.toEvidencePath(abs);
        if (this.opts.filter && !this.opts.filter(evPath)) continue;
        yield fileRecord(abs, evPath, st);
      } else {
        this.error(abs, 'not a regular file (device, pipe or socket): skipped');
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as Pending);
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
