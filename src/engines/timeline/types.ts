/**
 * The timeline contract: one event per point in time, from findings and from file-system
 * times, in the field names Timesketch imports (`message`, `datetime`, `timestamp_desc`,
 * `timestamp`: see timeline-csv.ts for the citation) plus ours. Plain readonly data.
 */
import type { Severity } from '../../findings/types.js';

/** Where an event comes from: a finding's evidence kind, the file system walk, or an MFTECmd $MFT CSV. */
export type TimelineSource = 'log' | 'event' | 'file' | 'remote' | 'filesystem' | 'mft';

export interface TimelineEvent {
  /** UTC, ISO 8601 with milliseconds (`2021-03-03T02:14:08.311Z`). */
  readonly datetime: string;
  /** Microseconds since the Unix epoch. */
  readonly timestamp: number;
  /** What the time is: `File Modified`, `Log Request`, `Event Logged`, ... */
  readonly timestamp_desc: string;
  /** One line for people (raw: attacker-controlled parts are escaped by the writers). */
  readonly message: string;
  readonly source: TimelineSource;
  /** Evidence path (`/` separators, relative to ROOT). */
  readonly path: string;
  readonly line: number | null;
  /** Event record id (event logs), else null. */
  readonly record_id: number | null;
  /** The finding's severity; null for file-system times. */
  readonly severity: Severity | null;
  readonly rule_id: string | null;
  readonly finding_id: string | null;
  readonly host: string;
}

/** How the window was chosen. */
export type WindowBasis = 'findings-medium' | 'findings-any' | 'option' | 'all' | 'none';

/** The attack window: file events outside it are dropped (findings are always kept). */
export interface AttackWindow {
  /** Epoch milliseconds; null: open on that side. */
  readonly from: number | null;
  readonly to: number | null;
  readonly basis: WindowBasis;
  /** Padding applied on each side of a window taken from findings (ms). */
  readonly padMs: number;
}

/** What a timeline run counted, for the summary lines and the JSON `timelineInfo`. */
export interface TimelineStats {
  readonly findingEvents: number;
  readonly fileEvents: number;
  /** File-system times outside the window, not in the timeline. */
  readonly droppedFileEvents: number;
  /** Findings without any time (posture, configuration): not in the timeline. */
  readonly untimedFindings: number;
  readonly filesWalked: number;
  /** Entries of MFTECmd $MFT CSVs inside the web and artifact folders (0 without such a CSV). */
  readonly mftEntries: number;
  /** Files whose creation time the platform does not give ("created unknown"). */
  readonly createdUnknown: number;
  /** Why the file walk stopped early, or null when it saw every file. */
  readonly truncated: string | null;
}

export interface Timeline {
  readonly events: readonly TimelineEvent[];
  readonly window: AttackWindow;
  readonly stats: TimelineStats;
}

/** The additive `timelineInfo` of a JSON report: the window as ISO times, and the counts. */
export interface TimelineInfo extends TimelineStats {
  readonly from: string | null;
  readonly to: string | null;
  readonly basis: WindowBasis;
  readonly padMs: number;
}
