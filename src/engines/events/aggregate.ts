/**
 * Aggregation of event findings: by default one finding per rule, computer and day (UTC), with
 * the count, first/last time, the first record as evidence and up to a few record ids and
 * files; `raw` keeps one finding per matching record. Memory grows with distinct keys only.
 */
import { findingId } from '../../findings/id.js';
import type { Finding } from '../../findings/types.js';
import type { EventRecord } from '../../parsers/types.js';
import { rawEventFinding } from './finding.js';
import type { EventHit } from './matcher.js';

const MAX_LISTED = 5;

interface Bucket {
  readonly first: Finding;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  readonly records: { path: string; recordId: number }[];
  readonly files: Set<string>;
}

export interface EventAggregator {
  add(rec: EventRecord, hit: EventHit): void;
  /** Findings so far, in order of first appearance. */
  findings(): Finding[];
}

function earlier(a: string | null, b: string | null): string | null {
  return a === null ? b : b === null ? a : a <= b ? a : b;
}
function later(a: string | null, b: string | null): string | null {
  return a === null ? b : b === null ? a : a >= b ? a : b;
}

export function createEventAggregator(opts: { readonly raw: boolean }): EventAggregator {
  const raw: Finding[] = [];
  const buckets = new Map<string, Bucket>();
  return {
    add(rec, hit) {
      if (opts.raw) {
        raw.push(rawEventFinding(rec, hit));
        return;
      }
      const computer = rec.computer ?? '-';
      const day = rec.time?.slice(0, 10) ?? 'undated';
      const key = `${hit.rule.meta.id}\u0000${computer.toLowerCase()}\u0000${day}`;
      let b = buckets.get(key);
      if (!b) {
        b = { first: rawEventFinding(rec, hit), count: 0, firstSeen: rec.time, lastSeen: rec.time, records: [], files: new Set() };
        buckets.set(key, b);
      }
      b.count++;
      b.firstSeen = earlier(b.firstSeen, rec.time);
      b.lastSeen = later(b.lastSeen, rec.time);
      if (b.records.length < MAX_LISTED) b.records.push({ path: rec.location.path, recordId: rec.recordId });
      if (b.files.size < MAX_LISTED) b.files.add(rec.location.path);
    },
    findings() {
      if (opts.raw) return [...raw];
      return [...buckets.entries()].map(([key, b]) => {
        const [ruleId = '', computer = '', day = ''] = key.split('\u0000');
        return {
          ...b.first,
          id: findingId({ ruleId, path: '', key: `event|${computer}|${day}` }),
          time: b.firstSeen,
          firstSeen: b.firstSeen,
          lastSeen: b.lastSeen,
          count: b.count,
          details: {
            aggregated: { by: 'rule+computer+day', computer: b.first.evidence['computer'] ?? null, day },
            records: b.records,
            files: [...b.files],
          },
        };
      });
    },
  };
}
