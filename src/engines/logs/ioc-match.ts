/**
 * Indicators against log records: the client address (the real client behind a balancer, and
 * the connection address), the user agent, the host and the URL. Runs on every parsed record
 * when a scan has indicators, so the rule pre-screen is off then.
 */
import type { Indicator, IocSet } from '../../iocs/match.js';
import type { LogRecord } from '../../parsers/types.js';
import type { IocSighting } from '../../iocs/aggregate.js';
import { clientIpOf, evidenceOf } from './finding.js';

export interface IocLogHit {
  readonly rec: LogRecord;
  readonly indicator: Indicator;
  /** The field value that matched. */
  readonly matched: string;
}

function urlOf(f: Readonly<Record<string, string>>): string {
  const stem = f['cs-uri-stem'] ?? f.UrlStem ?? '';
  const query = f['cs-uri-query'] ?? f.UrlQuery ?? '';
  const host = f['cs-host'] ?? f['cs(Host)'] ?? f.UrlHost ?? '';
  if (stem === '') return '';
  const q = query === '' ? '' : query.startsWith('?') ? query : `?${query}`;
  return host === '' ? `${stem}${q}` : `https://${host}${stem}${q}`;
}

export function iocHitsOf(set: IocSet, rec: LogRecord): IocLogHit[] {
  const f = rec.fields;
  const out: IocLogHit[] = [];
  const add = (inds: readonly Indicator[], matched: string): void => {
    for (const indicator of inds) out.push({ rec, indicator, matched });
  };
  const ips = new Set([clientIpOf(rec), f['c-ip'], f.ClientIpAddress].filter((x): x is string => typeof x === 'string' && x !== ''));
  for (const ip of ips) add(set.matchIp(ip), ip);
  const ua = f['cs(User-Agent)'] ?? f.UserAgent ?? '';
  if (ua !== '') add(set.matchText('user-agent', ua), ua);
  const host = f['cs-host'] ?? f['cs(Host)'] ?? f.UrlHost ?? '';
  if (host !== '') add(set.matchText('domain', host), host);
  const url = urlOf(f);
  if (url !== '') add(set.matchText('url', url), url);
  return out;
}

/** A hit as a sighting for the shared aggregation: grouped by client address and day, like rule findings. */
export function logSighting(h: IocLogHit): IocSighting {
  return {
    indicator: h.indicator,
    evidence: evidenceOf(h.rec),
    time: h.rec.time,
    matched: h.matched,
    group: `${clientIpOf(h.rec) ?? '-'}|${h.rec.time?.slice(0, 10) ?? 'undated'}`,
    at: `${h.rec.location.path}:${h.rec.location.line ?? ''}`,
  };
}
