/**
 * The one order of a timeline: time, then source, path, line, record, what the time is and the
 * finding id, so equal times always come out the same way, whatever order the engines or
 * the file walk produced them in.
 */
import type { TimelineEvent } from './types.js';

function cmp(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  return (
    a.timestamp - b.timestamp ||
    cmp(a.source, b.source) ||
    cmp(a.path, b.path) ||
    cmp(a.line, b.line) ||
    cmp(a.record_id, b.record_id) ||
    cmp(a.timestamp_desc, b.timestamp_desc) ||
    cmp(a.finding_id, b.finding_id) ||
    cmp(a.message, b.message)
  );
}

/** A sorted copy. */
export function sortEvents(events: readonly TimelineEvent[]): TimelineEvent[] {
  return [...events].sort(compareEvents);
}
