/**
 * The Sources contract: what discovery found in an evidence root (the Exchange install, IIS
 * and Exchange log folders, event logs, web-exposed folders, artifact folders, registry
 * exports, ExSetup.exe). Plain readonly data; every path both absolute and as evidence path.
 */
import path from 'node:path';
import type { LogFamily, ParseIssue } from '../parsers/types.js';
import type { AppHostConfig } from './app-host-config.js';
import type { HiveFile } from './hives.js';

export interface FoundPath {
  readonly abs: string;
  /** Relative to the evidence root, `/` separators (`C/inetpub/...` or `inetpub/...`). */
  readonly evidencePath: string;
}

export type ExchangeFoundBy = 'option' | 'registry' | 'folder' | 'applicationHost';

export interface ExchangeInstall extends FoundPath {
  readonly version: 'V15' | 'V14';
  readonly foundBy: ExchangeFoundBy;
  /** The install folder as a Windows path with a trailing `\` (what %ExchangeInstallPath% holds). */
  readonly winPath: string | null;
}

export interface ExchangeLogDir extends FoundPath {
  readonly family: LogFamily;
  /** HttpProxy protocol folder name (`Owa`, `Autodiscover`, ...) or CmdletInfra sub-path. */
  readonly name: string;
}

export type SourceOrigin = 'applicationHost' | 'default';

export interface IisLogDir extends FoundPath {
  readonly site: string | null;
  readonly siteId: number | null;
  readonly origin: SourceOrigin;
}

export interface WebDir extends FoundPath {
  readonly virtualPath: string | null;
  readonly site: string | null;
  readonly origin: SourceOrigin;
}

/**
 * `root-folder`: `C:\root`, one of the two folders Microsoft's Test-ProxyLogon.ps1 searches for
 * LSASS dumps (with `%WINDIR%\temp`), walked in full.
 */
export type ArtifactKind = 'programdata' | 'device-name' | 'windows-temp' | 'drive-root' | 'root-folder' | 'users-public' | 'perflogs';

export interface ArtifactDir extends FoundPath {
  readonly kind: ArtifactKind;
  /** Folder levels to enter below it (0: only its own files). Unlimited when absent. */
  readonly maxDepth?: number;
}

export interface AppHostSource extends FoundPath {
  /** Null when the file exists but could not be read or parsed (see the discovery errors). */
  readonly config: AppHostConfig | null;
}

export interface Sources {
  readonly exchange: ExchangeInstall | null;
  readonly appHost: AppHostSource | null;
  readonly iisLogDirs: readonly IisLogDir[];
  readonly exchangeLogDirs: readonly ExchangeLogDir[];
  readonly evtxFiles: readonly FoundPath[];
  readonly webDirs: readonly WebDir[];
  readonly artifactDirs: readonly ArtifactDir[];
  readonly regFiles: readonly FoundPath[];
  /** Registry hive files (SYSTEM, SOFTWARE, users' NTUSER.DAT and UsrClass.dat). */
  readonly hives: readonly HiveFile[];
  readonly exsetup: FoundPath | null;
}

export interface DiscoverOptions {
  /** `--exchange-path`: a Windows path (`D:\Exchange`), or a path relative to the root or drive. */
  readonly exchangePath?: string;
  /** Live mode: `.reg` exports of the running system's registry, read before any in the tree. */
  readonly liveRegFiles?: readonly FoundPath[];
  onError(e: ParseIssue): void;
}

/** The folders of `dirs` not inside another one of them (walk these to see each file once). */
export function outermostDirs<T extends FoundPath & { readonly maxDepth?: number }>(dirs: readonly T[]): T[] {
  const sorted = [...dirs].sort((a, b) => a.abs.length - b.abs.length);
  const kept: T[] = [];
  for (const d of sorted) {
    // A folder walked only to a limited depth (the drive root) does not cover the folders below it.
    const inside = kept.some((k) => {
      if (k.maxDepth !== undefined) return k.abs === d.abs;
      const rel = path.relative(k.abs, d.abs);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    });
    if (!inside) kept.push(d);
  }
  return kept;
}

/** Files at the drive root that are the system's own (paging, hibernation, NTFS metadata): never walked. */
const DRIVE_ROOT_SYSTEM = /^(\$.*|pagefile\.sys|hiberfil\.sys|swapfile\.sys|dumpstack\.log(\.tmp)?)$/i;

/** One folder to walk for files: where it is, whether it is web-exposed, how deep to go. */
export interface WalkPlace {
  readonly abs: string;
  readonly evidencePath: string;
  readonly web: boolean;
  readonly maxDepth?: number;
  /** Keeps a file (by evidence path); absent: every file. */
  readonly filter?: (evidencePath: string) => boolean;
}

/** The outermost web folders, then the outermost artifact folders: walk these to see each file once. */
export function walkPlaces(sources: Sources): WalkPlace[] {
  return [
    ...outermostDirs(sources.webDirs).map((d) => ({ abs: d.abs, evidencePath: d.evidencePath, web: true })),
    ...outermostDirs(sources.artifactDirs).map((d): WalkPlace => (d.kind === 'drive-root'
      ? { abs: d.abs, evidencePath: d.evidencePath, web: false, maxDepth: d.maxDepth ?? 0, filter: (p) => !DRIVE_ROOT_SYSTEM.test(path.posix.basename(p)) }
      : { abs: d.abs, evidencePath: d.evidencePath, web: false, ...(d.maxDepth !== undefined ? { maxDepth: d.maxDepth } : {}) })),
  ];
}

/** Walk options for one place: its depth limit and file filter, problems to `onError`. */
export function walkOptions(p: WalkPlace, onError: (e: ParseIssue) => void): { onError: (e: ParseIssue) => void; maxDepth?: number; filter?: (evidencePath: string) => boolean } {
  return { onError, ...(p.maxDepth !== undefined ? { maxDepth: p.maxDepth } : {}), ...(p.filter ? { filter: p.filter } : {}) };
}
