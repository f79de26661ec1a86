/**
 * Evidence roots: a collected tree (KAPE-style `ROOT/C/...`, or a ROOT that is itself the
 * drive) or the live system drive. Maps Windows paths onto the tree case-insensitively by
 * walking directory entries (listings cached per root), and turns absolute paths back into
 * evidence paths. With win-path.ts, the only place that knows drive letters or case.
 */
import { promises as fs } from 'node:fs';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { EvidenceError, fsErrorText } from './errors.js';
import { fromVerbatim, needsVerbatimPath, parseWinPath, standardVars, toVerbatim } from './win-path.js';
import type { WinVars } from './win-path.js';

export type RootKind = 'tree' | 'live';
export type RootLayout = 'kape' | 'drive';
export type EntryType = 'dir' | 'file' | 'link' | 'other';

export interface DirEntry {
  readonly name: string;
  readonly abs: string;
  readonly type: EntryType;
}

export interface EvidenceRoot {
  /** The root as given, resolved to an absolute path. */
  readonly abs: string;
  /** The root's real path (links resolved): what `contains` compares against. */
  readonly realAbs: string;
  readonly kind: RootKind;
  readonly layout: RootLayout;
  /** `C/` (the system drive folder, as named on disk plus `/`) for KAPE, `''` for a drive. */
  readonly drivePrefix: string;
  /** Absolute path of the system drive (the KAPE drive folder, or the root). */
  readonly driveAbs: string;
  /** Letter of the system drive, upper case. */
  readonly systemDrive: string;
  /** Every drive folder found, by upper-case letter (KAPE), or just the system drive. */
  readonly drives: ReadonlyMap<string, string>;
  /** Maps a Windows path to the existing path on disk, or null. `vars` add `%NAME%` values. */
  resolveWin(winPath: string, vars?: WinVars): Promise<string | null>;
  /** Resolves `a/b` or `a\b` below `baseAbs` case-insensitively; null when missing. */
  resolveUnder(baseAbs: string, rel: string): Promise<string | null>;
  /** Path relative to ROOT with `/` separators. */
  toEvidencePath(abs: string): string;
  /** The Windows path (`C:\...`) of a path on a drive of this root, or null. */
  toWinPath(abs: string): string | null;
  /** True when the real path of `abs` exists and is inside the root. */
  contains(abs: string): Promise<boolean>;
  /** Entries of a folder (cached), sorted by name; null when it cannot be read. */
  listDir(abs: string): Promise<readonly DirEntry[] | null>;
}

/** Folder names found at the top of a Windows system drive (compared lower case). */
const DRIVE_TOP_NAMES = new Set([
  'windows', 'program files', 'program files (x86)', 'programdata', 'inetpub', 'users',
  'perflogs', '$mft', '$recycle.bin', '$extend', 'documents and settings', 'root',
]);

function entryType(d: Dirent): EntryType {
  if (d.isSymbolicLink()) return 'link';
  if (d.isDirectory()) return 'dir';
  if (d.isFile()) return 'file';
  return 'other';
}

/**
 * The path of entry `name` of folder `dirAbs`. On Windows, a device name (`COM1`) or a name
 * ending in a dot or space gets a `\\?\` path, or Win32 would open something else
 * (run under wine in CI by scripts/ci-windows.sh: a COM1.aspx page is found; real Windows untested).
 */
export function entryPath(dirAbs: string, name: string): string {
  const p = path.join(dirAbs, name);
  return process.platform === 'win32' && needsVerbatimPath(name) ? toVerbatim(p) : p;
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

class Root implements EvidenceRoot {
  private readonly listings = new Map<string, Promise<readonly DirEntry[] | null>>();
  readonly drivePrefix: string;

  constructor(
    readonly abs: string,
    readonly realAbs: string,
    readonly kind: RootKind,
    readonly layout: RootLayout,
    readonly driveAbs: string,
    readonly systemDrive: string,
    readonly drives: ReadonlyMap<string, string>,
  ) {
    this.drivePrefix = layout === 'kape' ? `${path.basename(driveAbs)}/` : '';
  }

  listDir(abs: string): Promise<readonly DirEntry[] | null> {
    let p = this.listings.get(abs);
    if (!p) {
      p = fs.readdir(abs, { withFileTypes: true }).then(
        (ents) =>
          ents
            .map((d) => ({ name: d.name, abs: entryPath(abs, d.name), type: entryType(d) }))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        () => null,
      );
      this.listings.set(abs, p);
    }
    return p;
  }

  /** The child of `dirAbs` named `name`: exact match first, else case-insensitive. */
  private async child(dirAbs: string, name: string): Promise<string | null> {
    const ents = await this.listDir(dirAbs);
    if (!ents) return null;
    const exact = ents.find((e) => e.name === name);
    if (exact) return exact.abs;
    const want = name.toUpperCase();
    return ents.find((e) => e.name.toUpperCase() === want)?.abs ?? null;
  }

  async resolveUnder(baseAbs: string, rel: string): Promise<string | null> {
    let cur = baseAbs;
    for (const seg of rel.split(/[\\/]+/)) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') return null;
      const next = await this.child(cur, seg);
      if (next === null) return null;
      cur = next;
    }
    return (await this.contains(cur)) ? cur : null;
  }

  async resolveWin(winPath: string, vars: WinVars = {}): Promise<string | null> {
    const parsed = parseWinPath(winPath, { ...standardVars(this.systemDrive), ...vars });
    if (!parsed) return null;
    const base = parsed.drive === null ? this.driveAbs : this.drives.get(parsed.drive);
    if (base === undefined) return null;
    return this.resolveUnder(base, parsed.segments.join('/'));
  }

  toEvidencePath(given: string): string {
    const abs = process.platform === 'win32' ? fromVerbatim(given) : given;
    const base = isInside(this.abs, abs) ? this.abs : isInside(this.realAbs, abs) ? this.realAbs : null;
    const rel = base === null ? abs : path.relative(base, abs);
    return rel.split(path.sep).join('/');
  }

  toWinPath(given: string): string | null {
    const abs = process.platform === 'win32' ? fromVerbatim(given) : given;
    for (const [letter, driveAbs] of this.drives) {
      if (!isInside(driveAbs, abs)) continue;
      const rel = path.relative(driveAbs, abs).split(path.sep).filter(Boolean);
      return `${letter}:\\${rel.join('\\')}`;
    }
    return null;
  }

  async contains(abs: string): Promise<boolean> {
    try {
      return isInside(this.realAbs, await fs.realpath(abs));
    } catch {
      return false;
    }
  }
}

async function readRootDir(abs: string): Promise<Dirent[]> {
  let st;
  try {
    st = await fs.stat(abs);
  } catch (e) {
    const code = fsErrorText(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new EvidenceError('missing', abs, `evidence root does not exist: ${abs}`, { cause: e });
    }
    throw new EvidenceError('unreadable', abs, `evidence root is unreadable: ${abs} (${code})`, { cause: e });
  }
  if (!st.isDirectory()) {
    throw new EvidenceError('not-a-folder', abs, `evidence root is a file, not a folder: ${abs}`);
  }
  let ents: Dirent[];
  try {
    ents = await fs.readdir(abs, { withFileTypes: true });
  } catch (e) {
    const code = fsErrorText(e);
    throw new EvidenceError('unreadable', abs, `evidence root is unreadable: ${abs} (${code})`, { cause: e });
  }
  if (ents.length === 0) throw new EvidenceError('empty', abs, `evidence root is empty: ${abs}`);
  return ents;
}

/** Lower-case names of the entries of a folder, or an empty set when it cannot be read. */
async function namesIn(abs: string): Promise<Set<string>> {
  try {
    return new Set((await fs.readdir(abs)).map((n) => n.toLowerCase()));
  } catch {
    return new Set();
  }
}

interface DriveFolder {
  readonly letter: string;
  readonly abs: string;
  readonly hasWindows: boolean;
}

/**
 * One-letter folders (any case). The root is KAPE-style when at least one of them looks like
 * the top of a Windows drive; then every one-letter folder is a drive (`D/` may hold only
 * `Exchange` or `IISLogs`).
 */
async function findDriveFolders(abs: string, ents: readonly Dirent[]): Promise<DriveFolder[]> {
  const out: DriveFolder[] = [];
  let looksLikeDrive = false;
  for (const d of ents) {
    if (!/^[A-Za-z]$/.test(d.name) || !(d.isDirectory() || d.isSymbolicLink())) continue;
    const names = await namesIn(path.join(abs, d.name));
    if ([...names].some((n) => DRIVE_TOP_NAMES.has(n))) looksLikeDrive = true;
    out.push({ letter: d.name.toUpperCase(), abs: path.join(abs, d.name), hasWindows: names.has('windows') });
  }
  return looksLikeDrive ? out.sort((a, b) => a.letter.localeCompare(b.letter)) : [];
}

function pickSystemDrive(drives: readonly DriveFolder[]): DriveFolder | undefined {
  return drives.find((d) => d.hasWindows && d.letter === 'C') ?? drives.find((d) => d.hasWindows)
    ?? drives.find((d) => d.letter === 'C') ?? drives[0];
}

/**
 * Opens an evidence root. Throws EvidenceError (one line naming the path) when it does not
 * exist, is a file, is empty or cannot be read. `live` marks the running system's drive;
 * a bare `C:\` on Windows is live by default (run under wine in CI, scripts/ci-windows.sh). A live
 * root maps only its own drive letter; other drives are outside it.
 */
export async function openEvidenceRoot(input: string, opts: { live?: boolean } = {}): Promise<EvidenceRoot> {
  const abs = path.resolve(input);
  const ents = await readRootDir(abs);
  let realAbs: string;
  try {
    realAbs = await fs.realpath(abs);
  } catch (e) {
    throw new EvidenceError('unreadable', abs, `evidence root is unreadable: ${abs} (${fsErrorText(e)})`, { cause: e });
  }
  const bareDrive = /^([A-Za-z]):[\\/]?$/.exec(input.trim());
  const live = opts.live ?? (process.platform === 'win32' && bareDrive !== null);
  const kind: RootKind = live ? 'live' : 'tree';
  const isDriveItself = ents.some((d) => ['windows', 'program files', 'inetpub'].includes(d.name.toLowerCase()));
  const folders = live || isDriveItself ? [] : await findDriveFolders(abs, ents);
  const system = pickSystemDrive(folders);
  if (system) {
    const drives = new Map(folders.map((f) => [f.letter, f.abs] as const));
    return new Root(abs, realAbs, kind, 'kape', system.abs, system.letter, drives);
  }
  const letter = bareDrive?.[1]?.toUpperCase() ?? 'C';
  const drives = new Map<string, string>([[letter, abs]]);
  return new Root(abs, realAbs, kind, 'drive', abs, letter, drives);
}
