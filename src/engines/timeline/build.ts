/**
 * Merges finding events and file-system times into one ordered timeline (pure: the file
 * times are collected by the caller with the same window), and turns it into the additive
 * `timeline` / `timelineInfo` fields of a JSON report.
 */
import type { Finding, Report } from '../../findings/types.js';
import { eventsOfFindings } from './finding-events.js';
import type { FileTimes } from './file-times.js';
import { sortEvents } from './order.js';
import { isoMs } from './time.js';
import type { AttackWindow, Timeline, TimelineInfo } from './types.js';

const NO_FILES: FileTimes = { events: [], files: 0, dropped: 0, createdUnknown: 0, truncated: null };

export function buildTimeline(findings: readonly Finding[], window: AttackWindow, host: string, files: FileTimes = NO_FILES): Timeline {
  const fromFindings = eventsOfFindings(findings, host);
  return {
    events: sortEvents([...fromFindings.events, ...files.events]),
    window,
    stats: {
      findingEvents: fromFindings.events.length,
      fileEvents: files.events.length,
      droppedFileEvents: files.dropped,
      untimedFindings: fromFindings.untimed,
      filesWalked: files.files,
      mftEntries: files.mftEntries ?? 0,
      createdUnknown: files.createdUnknown,
      truncated: files.truncated,
    },
  };
}

export function timelineInfo(t: Timeline): TimelineInfo {
  const w = t.window;
  return {
    from: w.from === null ? null : isoMs(w.from),
    to: w.to === null ? null : isoMs(w.to),
    basis: w.basis,
    padMs: w.padMs,
    ...t.stats,
  };
}

/** The report with the additive `timeline` (events) and `timelineInfo` fields. */
export function withTimeline(report: Report, t: Timeline): Report {
  return { ...report, timeline: t.events, timelineInfo: timelineInfo(t) };
}

/** One sentence on how the window was chosen (for the text and HTML writers). */
export function windowText(info: Pick<TimelineInfo, 'from' | 'to' | 'basis' | 'padMs'>): string {
  const pad = info.padMs > 0 ? `, widened by ${formatPad(info.padMs)} each side` : '';
  switch (info.basis) {
    case 'all':
      return 'no window (--all): every file-system time is included';
    case 'none':
      return 'no finding carries a time, so there is no window: every file-system time is included';
    case 'option':
      return `${info.from ?? 'open'} .. ${info.to ?? 'open'} (set by --from/--to)`;
    case 'findings-medium':
      return `${info.from ?? 'open'} .. ${info.to ?? 'open'} (first to last finding at medium or above${pad})`;
    case 'findings-any':
      return `${info.from ?? 'open'} .. ${info.to ?? 'open'} (no timed finding at medium or above: first to last finding${pad})`;
  }
}

function formatPad(ms: number): string {
  const units: readonly (readonly [number, string])[] = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1000, 's']];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms} ms`;
}
