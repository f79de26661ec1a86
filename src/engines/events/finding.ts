/** Turning event matcher hits into findings (src/findings/types.ts): evidence, rule reference, ids. */
import { findingId } from '../../findings/id.js';
import type { Evidence, Finding } from '../../findings/types.js';
import type { EventRecord } from '../../parsers/types.js';
import type { EventHit } from './matcher.js';

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
  const { meta } = hit.rule;
  return {
    id: findingId({ ruleId: meta.id, path: rec.location.path, recordId: rec.recordId }),
    ruleId: meta.id,
    title: meta.title,
    severity: hit.severity,
    confidence: meta.confidence,
    category: meta.category,
    cves: meta.cves,
    attack: meta.attack,
    evidence: evidenceOf(rec),
    time: rec.time,
    firstSeen: rec.time,
    lastSeen: rec.time,
    count: 1,
    rule: { source: hit.rule.kind, author: meta.author, license: meta.license, refs: meta.refs },
    details: {},
  };
}
