/**
 * Timeline events from findings: one event at the finding's time, or two (first and last
 * sighting) for an aggregated finding whose sightings span time. Findings without any time
 * (posture, configuration) give none.
 */
import type { EvidenceKind, Finding } from '../../findings/types.js';
import { isoMs, micros, parseUtc } from './time.js';
import type { TimelineEvent } from './types.js';

/** Timesketch `timestamp_desc` per evidence kind (file findings carry the file's mtime). */
const DESC: Readonly<Record<EvidenceKind, string>> = {
  log: 'Log Request',
  event: 'Event Logged',
  file: 'File Modified',
  remote: 'Observed',
};

function time(s: string | null): number | null {
  return s === null ? null : parseUtc(s);
}

function event(f: Finding, ms: number, desc: string, note: string, host: string): TimelineEvent {
  return {
    datetime: isoMs(ms),
    timestamp: micros(ms),
    timestamp_desc: desc,
    message: `${f.severity}: ${f.title}${note}`,
    source: f.evidence.kind,
    path: f.evidence.path,
    line: f.evidence.line ?? null,
    record_id: f.evidence.recordId ?? null,
    severity: f.severity,
    rule_id: f.ruleId,
    finding_id: f.id,
    host,
  };
}

/** The events of one finding (zero, one, or first and last). */
export function findingEvents(f: Finding, host: string): TimelineEvent[] {
  const first = time(f.firstSeen) ?? time(f.time);
  const last = time(f.lastSeen) ?? time(f.time) ?? first;
  if (first === null || last === null) return [];
  const desc = DESC[f.evidence.kind];
  const n = f.count > 1 ? ` (${f.count} sightings` : '';
  if (first === last) return [event(f, first, desc, n ? `${n})` : '', host)];
  const [a, b] = first < last ? [first, last] : [last, first];
  const firstDesc = f.evidence.kind === 'file' && f.evidence.birthtime === f.firstSeen ? 'File Created' : `${desc} (first)`;
  return [
    event(f, a, firstDesc, n ? `${n}, first)` : ' (first)', host),
    event(f, b, `${desc} (last)`, n ? `${n}, last)` : ' (last)', host),
  ];
}

/** Events of every finding, and how many findings had no time. */
export function eventsOfFindings(findings: readonly Finding[], host: string): { events: TimelineEvent[]; untimed: number } {
  const events: TimelineEvent[] = [];
  let untimed = 0;
  for (const f of findings) {
    const e = findingEvents(f, host);
    if (e.length === 0) untimed += 1;
    events.push(...e);
  }
  return { events, untimed };
}
