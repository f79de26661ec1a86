/**
 * The Sources contract: what discovery found in an evidence root (the Exchange install, IIS
 * and Exchange log folders, event logs, web-exposed folders, artifact folders, registry
 * exports, ExSetup.exe). Plain readonly data; every path both absolute and as evidence path.
 */
import path from 'node:path';
import type { LogFamily, ParseIssue } from '../parsers/types.js';
import type { AppHostConfig } from './app-host-config.js';

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

export type ArtifactKind = 'programdata' | 'device-name' | 'windows-temp' | 'drive-root' | 'users-public' | 'perflogs';

export interface ArtifactDir extends FoundPath {
  readonly kind: ArtifactKind;
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
  readonly exsetup: FoundPath | null;
}

export interface DiscoverOptions {
  /** `--exchange-path`: a Windows path (`D:\Exchange`), or a path relative to the root or drive. */
  readonly exchangePath?: string;
  onError(e: ParseIssue): void;
}

/** The folders of `dirs` not inside another one of them (walk these to see each file once). */
export function outermostDirs<T extends FoundPath>(dirs: readonly T[]): T[] {
  const sorted = [...dirs].sort((a, b) => a.abs.length - b.abs.length);
  const kept: T[] = [];
  for (const d of sorted) {
    const inside = kept.some((k) => {
      const rel = path.relative(k.abs, d.abs);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    });
    if (!inside) kept.push(d);
  }
  return kept;
}
