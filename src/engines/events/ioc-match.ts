/**
 * Indicators against event records: every EventData value that is an IP address (IpAddress,
 * SourceIp, DestinationIp, ClientIP, … whatever the provider names it), one finding per
 * indicator, computer and day with counts (or one per record with --raw).
 */
import { isIP } from 'node:net';
import type { Finding } from '../../findings/types.js';
import type { IocSet } from '../../iocs/match.js';
import { createIocAggregator } from '../../iocs/aggregate.js';
import type { EventRecord } from '../../parsers/types.js';
import { evidenceOf } from './finding.js';

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

export function createEventIocMatcher(set: IocSet, opts: { readonly raw: boolean }): { add(rec: EventRecord): void; findings(): Finding[] } {
  const agg = createIocAggregator(opts);
  return {
    add(rec) {
      for (const ip of ipValues(rec)) {
        for (const indicator of set.matchIp(ip)) {
          agg.add({
            indicator,
            evidence: evidenceOf(rec),
            time: rec.time,
            matched: ip,
            group: `${rec.computer ?? '-'}|${rec.time?.slice(0, 10) ?? 'undated'}`,
            at: `${rec.location.path}#${rec.recordId}`,
          });
        }
      }
    },
    findings: () => agg.findings(),
  };
}
