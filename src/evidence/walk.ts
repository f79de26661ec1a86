/**
 * Streams the files below a folder of an evidence root as FileRecords, one at a time.
 * Includes hidden files; follows links only while their target stays inside the root;
 * detects folder loops; reports unreadable folders, files and broken links and goes on.
 * Names are read as bytes: a name that is not valid UTF-8 (legal on Linux, and on NTFS as
 * unpaired surrogates) is still walked and read through its byte path, and shown with each
 * invalid byte as `\xNN` (`escapeName`).
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { Dirent, PathLike, Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
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
  /** The path as shown (names not valid UTF-8 escaped). */
  readonly abs: string;
  /** The path to open: `abs` itself, or its bytes when a name on it is not valid UTF-8. */
  readonly fsPath: string | Buffer;
  readonly depth: number;
}

/**
 * A file name as text: valid UTF-8 as is, each byte that is not part of a valid UTF-8
 * sequence as the four characters `\xNN`.
 */
export function escapeName(name: Buffer): string {
  if (isUtf8(name)) return name.toString('utf8');
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name[i] ?? 0;
    const len = c < 0x80 ? 1 : c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (len > 0 && i + len <= name.length && isUtf8(name.subarray(i, i + len))) {
      out += name.toString('utf8', i, i + len);
      i += len;
    } else {
      out += `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}

/** The path of entry `name` (bytes) of a folder: shown and to open. */
function childPaths(dir: Pending, name: Buffer): { abs: string; fsPath: string | Buffer } {
  const text = escapeName(name);
  if (typeof dir.fsPath === 'string' && isUtf8(name)) {
    const abs = entryPath(dir.abs, text);
    return { abs, fsPath: abs };
  }
  const parent = typeof dir.fsPath === 'string' ? Buffer.from(dir.fsPath, 'utf8') : dir.fsPath;
  const sep = parent.length > 0 && parent[parent.length - 1] === path.sep.charCodeAt(0) ? Buffer.alloc(0) : Buffer.from(path.sep);
  return { abs: path.join(dir.abs, text), fsPath: Buffer.concat([parent, sep, name]) };
}

function iso(d: Date): string | null {
  const t = d.getTime();
  return Number.isFinite(t) ? d.toISOString() : null;
}

/** Reads at most `limit` bytes (default: the whole file) from the start of a file. */
export async function readHead(abs: PathLike, limit?: number): Promise<Buffer> {
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

/**
 * A FileRecord for a regular file (`st` from stat, links already followed). `fsPath`: the
 * bytes of its path when a name on it is not valid UTF-8 (`abs` then shows it escaped).
 */
export function fileRecord(abs: string, evidencePath: string, st: Stats, fsPath?: Buffer): FileRecord {
  const at: PathLike = fsPath ?? abs;
  return {
    kind: 'file',
    path: evidencePath,
    absPath: abs,
    ...(fsPath ? { fsPath } : {}),
    size: st.size,
    mtime: iso(st.mtime),
    atime: iso(st.atime),
    ctime: iso(st.ctime),
    birthtime: st.birthtimeMs > 0 ? iso(st.birthtime) : null,
    location: { path: evidencePath },
    read: (limit?: number) => readHead(at, limit),
    open: (): Readable => createReadStream(at),
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
  private async follow(at: string | Buffer): Promise<Stats | string> {
    let st: Stats;
    try {
      st = await fs.stat(at);
    } catch (e) {
      const code = fsErrorText(e);
      return code === 'ENOENT' ? 'broken link: its target does not exist' : `cannot follow link (${code})`;
    }
    if (!(await this.contains(at))) return 'link leaves the evidence root: not followed';
    return st;
  }

  /** `root.contains` for a path that may be bytes. */
  private async contains(at: string | Buffer): Promise<boolean> {
    if (typeof at === 'string') return this.root.contains(at);
    let real: Buffer;
    try {
      real = await fs.realpath(at, { encoding: 'buffer' });
    } catch {
      return false;
    }
    if (isUtf8(real)) return this.root.contains(real.toString('utf8'));
    const top = Buffer.from(this.root.realAbs, 'utf8');
    const sep = path.sep.charCodeAt(0);
    return real.length > top.length && real.subarray(0, top.length).equals(top) && (real[top.length] === sep || top[top.length - 1] === sep);
  }

  /** The entries of a folder with their names as shown, sorted by that name (then bytes). */
  private async list(dir: Pending): Promise<{ d: Dirent<Buffer>; text: string }[] | null> {
    try {
      const ents = await fs.readdir(dir.fsPath, { withFileTypes: true, encoding: 'buffer' });
      return ents
        .map((d) => ({ d, text: escapeName(d.name) }))
        .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : Buffer.compare(a.d.name, b.d.name)));
    } catch (e) {
      this.error(dir.abs, `cannot read folder (${fsErrorText(e)})`);
      return null;
    }
  }

  /** Stats of one entry (links followed when they stay inside), or why there are none. */
  private async statEntry(d: Dirent<Buffer>, at: string | Buffer): Promise<Stats | string> {
    try {
      return d.isSymbolicLink() ? await this.follow(at) : await fs.lstat(at);
    } catch (e) {
      return `cannot read file information (${fsErrorText(e)})`;
    }
  }

  async *walkDir(dir: Pending, stack: Pending[]): AsyncGenerator<FileRecord> {
    const ents = await this.list(dir);
    if (!ents) return;
    const subdirs: Pending[] = [];
    for (let i = 0; i < ents.length; i += STAT_BATCH) {
      const batch = ents.slice(i, i + STAT_BATCH).map(({ d }) => ({ d, ...childPaths(dir, d.name) }));
      const stats = await Promise.all(batch.map(({ d, fsPath }) => this.statEntry(d, fsPath)));
      for (const [j, { abs, fsPath }] of batch.entries()) {
        const st = stats[j] as Stats | string;
        if (typeof st === 'string') this.error(abs, st);
        else {
          const rec = this.visit({ abs, fsPath, depth: dir.depth + 1 }, st, dir, subdirs);
          if (rec) yield rec;
        }
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as Pending);
  }

  /** A file's record, or null after queueing a folder (or reporting what is neither). */
  private visit(entry: Pending, st: Stats, dir: Pending, subdirs: Pending[]): FileRecord | null {
    const { abs, fsPath } = entry;
    if (st.isFile()) {
      const evPath = this.root.toEvidencePath(abs);
      if (this.opts.filter && !this.opts.filter(evPath)) return null;
      return typeof fsPath === 'string' ? fileRecord(abs, evPath, st) : fileRecord(abs, evPath, st, fsPath);
    }
    if (!st.isDirectory()) {
      this.error(abs, 'not a regular file (device, pipe or socket): skipped');
      return null;
    }
    if (this.opts.maxDepth !== undefined && dir.depth >= this.opts.maxDepth) return null;
    if (this.opts.prune?.(this.root.toEvidencePath(abs))) return null;
    if (this.enter(st)) subdirs.push(entry);
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
    const stack: Pending[] = [{ abs: dirAbs, fsPath: dirAbs, depth: 0 }];
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
