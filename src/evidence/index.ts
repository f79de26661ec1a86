/**
 * The evidence layer: open a root (tree or live), map Windows paths onto it, stream its files,
 * discover its sources (Exchange install, IIS and Exchange logs, event logs, web and artifact
 * folders) and track what time each source covers.
 */
export { EvidenceError } from './errors.js';
export type { EvidenceErrorCode } from './errors.js';
export { openEvidenceRoot } from './root.js';
export type { DirEntry, EntryType, EvidenceRoot, RootKind, RootLayout } from './root.js';
export type { WinVars } from './win-path.js';
export { walkFiles, fileRecord, readHead } from './walk.js';
export type { WalkOptions } from './walk.js';
export { parseAppHostConfig, AppHostConfigError, MAX_APPHOST_BYTES } from './app-host-config.js';
export type { AppHostConfig, IisModule, IisSite, IisVirtualDirectory } from './app-host-config.js';
export { discoverSources } from './discover.js';
export { discoveryItems } from './discovery-items.js';
export { outermostDirs } from './sources.js';
export type {
  AppHostSource,
  ArtifactDir,
  ArtifactKind,
  DiscoverOptions,
  ExchangeFoundBy,
  ExchangeInstall,
  ExchangeLogDir,
  FoundPath,
  IisLogDir,
  SourceOrigin,
  Sources,
  WebDir,
} from './sources.js';
export { CoverageTracker, GAP_MS } from './coverage.js';
