/**
 * Aggregation: by default one finding per rule, client IP and day (UTC), with the count,
 * first/last time, the highest severity seen and a count per HTTP status; `raw` keeps one
 * finding per matching line. Memory grows with distinct (rule, IP, day) keys, not with lines.
 */
import { findingId } from '../../findings/id.js';
import { severityRank, type Finding } from '../../findings/types.js';
import type { LogRecord } from '../../parsers/types.js';
import { clientIpOf, rawFinding } from './finding.js';
import type { MatchHit } from './matcher.js';
import { earlierIso, laterIso } from '../../findings/time.js';

const MAX_FILES = 5;

interface Bucket {
  first: Finding;
  severity: Finding['severity'];
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  statuses: Map<string, number>;
  files: Set<string>;
}

export interface Aggregator {
  add(rec: LogRecord, hit: MatchHit): void;
  /** Findings so far, in order of first appearance. */
  findings(): Finding[];
}

const earlier = earlierIso;
const later = laterIso;

export function createAggregator(opts: { readonly raw: boolean }): Aggregator {
  const raw: Finding[] = [];
  const buckets = new Map<string, Bucket>();
  return {
    add(rec, hit) {
      if (opts.raw) {
        raw.push(rawFinding(rec, hit));
        return;
      }
      const ip = clientIpOf(rec) ?? '-';
      const day = rec.time?.slice(0, 10) ?? 'undated';
      const key = `${hit.rule.meta.id}\u0000${ip}\u0000${day}`;
      let b = buckets.get(key);
      if (!b) {
        const first = rawFinding(rec, hit);
        b = { first, severity: hit.severity, count: 0, firstSeen: rec.time, lastSeen: rec.time, statuses: new Map(), files: new Set() };
        buckets.set(key, b);
      }
      b.count++;
      if (severityRank(hit.severity) > severityRank(b.severity)) b.severity = hit.severity;
      b.firstSeen = earlier(b.firstSeen, rec.time);
      b.lastSeen = later(b.lastSeen, rec.time);
      if (hit.status) b.statuses.set(hit.status, (b.statuses.get(hit.status) ?? 0) + 1);
      if (b.files.size < MAX_FILES) b.files.add(rec.location.path);
    },
    findings() {
      if (opts.raw) return [...raw];
      return [...buckets.entries()].map(([key, b]) => {
        const [ruleId = '', ip = '', day = ''] = key.split('\u0000');
        return {
          ...b.first,
          id: findingId({ ruleId, path: '', key: `${ip}|${day}` }),
          severity: b.severity,
          time: b.firstSeen,
          firstSeen: b.firstSeen,
          lastSeen: b.lastSeen,
          count: b.count,
          details: {
            aggregated: { by: 'rule+clientIp+day', clientIp: ip, day },
            ...(b.statuses.size ? { statusCounts: Object.fromEntries(b.statuses) } : {}),
            files: [...b.files],
          },
        };
      });
    },
  };
}
