/**
 * Turns an indicator hit into a Finding (report contract v1). Severity: high for hashes and
 * paths, medium for file names (base name only), IPs, domains, URLs and user agents, unless
 * the feed rates the threat itself. Confidence: from the feed's 0-100 confidence when given.
 */
import { createHash } from 'node:crypto';
import { findingId } from '../findings/id.js';
import type { Confidence, Evidence, Finding, Severity } from '../findings/types.js';
import type { Indicator, IocType } from './types.js';

export interface IocFindingExtra {
  readonly time?: string | null;
  readonly firstSeen?: string | null;
  readonly lastSeen?: string | null;
  readonly count?: number;
  /** Extra discriminator for the finding id (e.g. client IP + day when aggregated). */
  readonly key?: string;
  /** The evidence value that matched (e.g. the log field), for details. */
  readonly matched?: string;
}

const HIGH: readonly IocType[] = ['md5', 'sha1', 'sha256', 'path'];
const LABEL: Readonly<Record<IocType, string>> = {
  md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', ip: 'IP address', domain: 'domain', url: 'URL',
  filename: 'file name', path: 'path', 'path-regex': 'path pattern', 'user-agent': 'user agent',
};

function confidenceOf(ind: Indicator): Confidence {
  if (ind.confidence !== undefined) return ind.confidence >= 70 ? 'high' : ind.confidence >= 40 ? 'medium' : 'low';
  return HIGH.includes(ind.type) ? 'high' : 'medium';
}

/** `ioc:<type>:<value>`, the value replaced by a hash prefix when long. */
export function iocRuleId(ind: Indicator): string {
  const v = ind.value.length <= 80 ? ind.value : `sha256-${createHash('sha256').update(ind.value).digest('hex').slice(0, 16)}`;
  return `ioc:${ind.type}:${v}`;
}

export function iocFinding(ind: Indicator, evidence: Evidence, extra: IocFindingExtra = {}): Finding {
  const severity: Severity = ind.severity ?? (HIGH.includes(ind.type) ? 'high' : 'medium');
  const ruleId = iocRuleId(ind);
  const shown = ind.value.length > 120 ? `${ind.value.slice(0, 117)}...` : ind.value;
  const time = extra.time ?? null;
  return {
    id: findingId({ ruleId, path: evidence.path, line: evidence.line ?? null, recordId: evidence.recordId ?? null, key: [ind.feed, extra.key ?? ''].join('\u0000') }),
    ruleId,
    title: `IOC match: ${LABEL[ind.type]} ${shown} (feed ${ind.feed})`,
    severity,
    confidence: confidenceOf(ind),
    category: 'ioc',
    cves: [],
    attack: [],
    evidence,
    time,
    firstSeen: extra.firstSeen ?? time,
    lastSeen: extra.lastSeen ?? time,
    count: extra.count ?? 1,
    rule: { source: 'ioc', author: ind.feed, license: `TLP:${ind.tlp.toUpperCase()}`, refs: [] },
    details: {
      indicator: ind.value, type: ind.type, feed: ind.feed, tlp: ind.tlp, confidence: ind.confidence ?? null,
      ...(ind.sourceId !== undefined ? { sourceId: ind.sourceId } : {}),
      ...(ind.title !== undefined ? { indicatorTitle: ind.title } : {}),
      ...(ind.validUntil !== undefined ? { validUntil: ind.validUntil } : {}),
      ...(extra.matched !== undefined ? { matched: extra.matched } : {}),
    },
  };
}
