/**
 * Indicator sightings become findings the same way for every source: by default one finding
 * per indicator, feed and group (e.g. client address + day, computer + day) with the count and
 * first/last time; with --raw one per sighting.
 */
import type { Evidence, Finding } from '../findings/types.js';
import { iocFinding, iocRuleId } from './finding.js';
import type { Indicator } from './types.js';
import { earlierIso, laterIso } from '../findings/time.js';

export interface IocSighting {
  readonly indicator: Indicator;
  readonly evidence: Evidence;
  readonly time: string | null;
  /** The evidence value that matched. */
  readonly matched: string;
  /** What sightings of one indicator are grouped by (without --raw). */
  readonly group: string;
  /** What tells one sighting from another (with --raw), e.g. `path:line`. */
  readonly at: string;
}

interface Bucket {
  readonly first: IocSighting;
  readonly key: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export function createIocAggregator(opts: { readonly raw: boolean }): { add(s: IocSighting): void; findings(): Finding[] } {
  const buckets = new Map<string, Bucket>();
  const raw: Finding[] = [];
  return {
    add(s) {
      if (opts.raw) {
        raw.push(iocFinding(s.indicator, s.evidence, { time: s.time, matched: s.matched, key: s.at }));
        return;
      }
      const key = `${iocRuleId(s.indicator)}|${s.indicator.feed}|${s.group}`;
      let b = buckets.get(key);
      if (!b) {
        b = { first: s, key, count: 0, firstSeen: s.time, lastSeen: s.time };
        buckets.set(key, b);
      }
      b.count += 1;
      b.firstSeen = earlierIso(b.firstSeen, s.time);
      b.lastSeen = laterIso(b.lastSeen, s.time);
    },
    findings() {
      if (opts.raw) return raw;
      return [...buckets.values()].map((b) =>
        iocFinding(b.first.indicator, b.first.evidence, {
          time: b.firstSeen,
          firstSeen: b.firstSeen,
          lastSeen: b.lastSeen,
          count: b.count,
          key: b.key,
          matched: b.first.matched,
        }),
      );
    },
  };
}
