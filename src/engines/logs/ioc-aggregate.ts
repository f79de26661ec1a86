/**
 * Indicator hits in logs become findings: by default one per indicator, client address and
 * day (count, first and last time), or one per line with --raw, like the rule findings.
 */
import type { Finding } from '../../findings/types.js';
import { iocFinding } from '../../iocs/match.js';
import { iocRuleId } from '../../iocs/finding.js';
import { clientIpOf, evidenceOf } from './finding.js';
import type { IocLogHit } from './ioc-match.js';

interface Bucket {
  readonly first: IocLogHit;
  readonly key: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export function createIocAggregator(opts: { readonly raw: boolean }): { add(h: IocLogHit): void; findings(): Finding[] } {
  const buckets = new Map<string, Bucket>();
  const raw: Finding[] = [];
  return {
    add(h) {
      if (opts.raw) {
        raw.push(iocFinding(h.indicator, evidenceOf(h.rec), { time: h.rec.time, matched: h.matched, key: `${h.rec.location.path}:${h.rec.location.line ?? ''}` }));
        return;
      }
      const key = `${iocRuleId(h.indicator)}|${h.indicator.feed}|${clientIpOf(h.rec) ?? '-'}|${h.rec.time?.slice(0, 10) ?? 'undated'}`;
      let b = buckets.get(key);
      if (!b) {
        b = { first: h, key, count: 0, firstSeen: h.rec.time, lastSeen: h.rec.time };
        buckets.set(key, b);
      }
      b.count += 1;
      const t = h.rec.time;
      if (t !== null) {
        if (b.firstSeen === null || t < b.firstSeen) b.firstSeen = t;
        if (b.lastSeen === null || t > b.lastSeen) b.lastSeen = t;
      }
    },
    findings() {
      if (opts.raw) return raw;
      return [...buckets.values()].map((b) =>
        iocFinding(b.first.indicator, evidenceOf(b.first.rec), {
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
