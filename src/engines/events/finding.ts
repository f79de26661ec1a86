/** Turning event matcher hits into findings (src/findings/types.ts): evidence, rule reference, ids. */
import type { Evidence, Finding } from '../../findings/types.js';
import type { EventRecord } from '../../parsers/types.js';
import type { EventHit } from './matcher.js';
import { ruleHitFinding } from '../rule-finding.js';

export const EXCERPT_MAX = 300;

function clip(s: string): string {
  return s.length > EXCERPT_MAX ? `${s.slice(0, EXCERPT_MAX - 1)}…` : s;
}

/**
 * The event's data, near enough as a viewer shows it: `Name=value` pairs for named EventData,
 * unnamed values in order, UserData as JSON; control characters kept (writers escape). Truncated.
 */
export function excerptOf(rec: EventRecord): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(rec.data)) if (v !== null && v !== '') parts.push(`${k}=${v}`);
  for (const v of rec.dataUnnamed) if (v !== null && v !== '') parts.push(v);
  if (rec.userData) parts.push(JSON.stringify(rec.userData));
  return clip(parts.join(' | '));
}

export function evidenceOf(rec: EventRecord): Evidence {
  return {
    kind: 'event',
    path: rec.location.path,
    recordId: rec.recordId,
    eventId: rec.eventId,
    channel: rec.channel,
    provider: rec.provider,
    computer: rec.computer,
    excerpt: excerptOf(rec),
  };
}

/** One finding for one matching record (`--raw`). */
export function rawEventFinding(rec: EventRecord, hit: EventHit): Finding {
  return ruleHitFinding({
    rule: hit.rule,
    severity: hit.severity,
    evidence: evidenceOf(rec),
    time: rec.time,
    at: { path: rec.location.path, recordId: rec.recordId },
  });
}
