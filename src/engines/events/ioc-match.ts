/**
 * Indicators against event records: every EventData value that is an IP address (IpAddress,
 * SourceIp, DestinationIp, ClientIP, … whatever the provider names it), one finding per
 * indicator, computer and day with counts (or one per record with --raw).
 */
import { isIP } from 'node:net';
import type { Finding } from '../../findings/types.js';
import { iocFinding, type Indicator, type IocSet } from '../../iocs/match.js';
import { iocRuleId } from '../../iocs/finding.js';
import type { EventRecord } from '../../parsers/types.js';

interface Bucket {
  readonly ind: Indicator;
  readonly rec: EventRecord;
  readonly matched: string;
  readonly key: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** The IP-looking values of a record's event data (named and unnamed). */
function ipValues(rec: EventRecord): string[] {
  const out = new Set<string>();
  for (const v of [...Object.values(rec.data), ...rec.dataUnnamed]) {
    if (typeof v !== 'string' || v.length > 45) continue;
    const t = v.trim().replace(/^::ffff:/i, '');
    if (isIP(t) !== 0) out.add(t);
  }
  return [...out];
}

function evidenceOf(rec: EventRecord, matched: string): Finding['evidence'] {
  return {
    kind: 'event',
    path: rec.location.path,
    recordId: rec.recordId,
    eventId: rec.eventId,
    channel: rec.channel,
    provider: rec.provider,
    computer: rec.computer,
    excerpt: `EventID ${rec.eventId} ${rec.channel ?? ''}: ${matched}`,
  };
}

export function createEventIocMatcher(set: IocSet, opts: { readonly raw: boolean }): { add(rec: EventRecord): void; findings(): Finding[] } {
  const buckets = new Map<string, Bucket>();
  const raw: Finding[] = [];
  return {
    add(rec) {
      for (const ip of ipValues(rec)) {
        for (const ind of set.matchIp(ip)) {
          if (opts.raw) {
            raw.push(iocFinding(ind, evidenceOf(rec, ip), { time: rec.time, matched: ip, key: `${rec.location.path}#${rec.recordId}` }));
            continue;
          }
          const key = `${iocRuleId(ind)}|${ind.feed}|${rec.computer ?? '-'}|${rec.time?.slice(0, 10) ?? 'undated'}`;
          let b = buckets.get(key);
          if (!b) {
            b = { ind, rec, matched: ip, key, count: 0, firstSeen: rec.time, lastSeen: rec.time };
            buckets.set(key, b);
          }
          b.count += 1;
          if (rec.time !== null && (b.firstSeen === null || rec.time < b.firstSeen)) b.firstSeen = rec.time;
          if (rec.time !== null && (b.lastSeen === null || rec.time > b.lastSeen)) b.lastSeen = rec.time;
        }
      }
    },
    findings() {
      if (opts.raw) return raw;
      return [...buckets.values()].map((b) =>
        iocFinding(b.ind, evidenceOf(b.rec, b.matched), { time: b.firstSeen, firstSeen: b.firstSeen, lastSeen: b.lastSeen, count: b.count, key: b.key, matched: b.matched }),
      );
    },
  };
}
