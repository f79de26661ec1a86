/**
 * The vault contract: manifest entries (append-only JSON lines with a hash chain) and the
 * quarantine plan. Plain readonly data shared by the vault, quarantine, restore and the CLI.
 */
import type { Category, Severity } from '../findings/types.js';

/** The finding that justified a quarantine (the highest-severity one for that file). */
export interface FindingRef {
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: Category;
}

export interface FileTimes {
  readonly mtime: string;
  readonly atime: string;
  readonly ctime: string;
  /** Untested where the platform has no birth time (Linux may report 0 = 1970). */
  readonly birthtime: string;
  /** Milliseconds since the epoch, with the sub-millisecond part Node reports. */
  readonly mtimeMs: number;
  readonly atimeMs: number;
  readonly mode: number;
}

interface EntryBase {
  /** Manifest format version. */
  readonly v: 1;
  readonly operator: string;
  readonly host: string;
  /** sha256 (hex) of the previous manifest line; 64 zeros for the first line. */
  readonly prev: string;
  /** sha256 (hex) of this entry's canonical JSON without `hash`. */
  readonly hash: string;
}

export interface QuarantinedEntry extends EntryBase {
  readonly type: 'quarantined';
  /** What `exhunt restore` takes. */
  readonly id: string;
  readonly originalPath: {
    readonly evidencePath: string;
    readonly abs: string;
    readonly root: string;
    /** The Windows path (`C:\\...`) the file had on the server, when the root maps it. */
    readonly win: string | null;
  };
  readonly size: number;
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
  /** Vault-relative path of the defanged object (`objects/<sha256>.gz`). */
  readonly object: string;
  readonly times: FileTimes;
  readonly finding: FindingRef;
  /** Every finding of the report on this file (ids), the justifying one included. */
  readonly findingIds: readonly string[];
  /** True when the file's hash differed from the report and `--force` was given. */
  readonly forced: boolean;
  readonly reportSha256: string | null;
  readonly quarantinedAt: string;
}

export interface RestoredEntry extends EntryBase {
  readonly type: 'restored';
  readonly id: string;
  readonly restoredTo: string;
  /** False when the same content was already at the path (nothing written). */
  readonly written: boolean;
  readonly restoredAt: string;
}

/** Housekeeping recorded in the chain, e.g. the repair of a line torn by a crash. */
export interface NoteEntry extends EntryBase {
  readonly type: 'note';
  readonly message: string;
  readonly at: string;
  readonly [extra: string]: unknown;
}

export type ManifestEntry = QuarantinedEntry | RestoredEntry | NoteEntry;

/** A manifest entry before `prev` and `hash` are filled in by the appender. */
export type UnchainedEntry<E extends ManifestEntry = ManifestEntry> = Omit<E, 'prev' | 'hash'>;

/** What `vault list --format json` prints per quarantined file. */
export interface VaultListItem {
  readonly id: string;
  /** Absolute path the file had. */
  readonly originalPath: string;
  readonly evidencePath: string;
  readonly sha256: string;
  readonly size: number;
  readonly quarantinedAt: string;
  readonly restoredAt: string | null;
  readonly findingId: string;
  readonly ruleId: string;
}

export type PlanAction = 'quarantine' | 'remove-original' | 'already-quarantined' | 'refuse';

export interface PlanItem {
  readonly evidencePath: string;
  /** Absolute path on this machine (null when the path was refused before mapping). */
  readonly abs: string | null;
  readonly action: PlanAction;
  /** Why refused, or what is special (hash differs but forced, ...). */
  readonly reason: string | null;
  readonly reportSha256: string | null;
  readonly currentSha256: string | null;
  readonly size: number | null;
  readonly finding: FindingRef;
  readonly findingIds: readonly string[];
  readonly forced: boolean;
}

export interface Plan {
  readonly root: string;
  readonly vault: string;
  readonly items: readonly PlanItem[];
  /** Findings of the report that were selected but are not file findings. */
  readonly skipped: readonly { readonly findingId: string; readonly reason: string }[];
}

export type Outcome = 'quarantined' | 'removed-original' | 'already-quarantined' | 'refused' | 'failed';

export interface ApplyResult {
  readonly evidencePath: string;
  readonly outcome: Outcome;
  readonly id: string | null;
  readonly message: string | null;
}
