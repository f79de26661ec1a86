/** Turning matcher hits into findings (src/findings/types.ts): evidence, rule reference, ids. */
import type { Evidence, Finding } from '../../findings/types.js';
import type { LogRecord } from '../../parsers/types.js';
import type { MatchHit } from './matcher.js';
import { ruleHitFinding } from '../rule-finding.js';

export const EXCERPT_MAX = 300;

/**
 * The record as the log wrote it, near enough: OAB's message; W3C values space-separated with
 * `-` for empty and `+` for spaces; CSV values comma-separated, quoted where needed. Truncated.
 */
export function excerptOf(rec: LogRecord): string {
  let line: string;
  if (rec.source === 'oab') line = rec.fields.message ?? '';
  else {
    const vals = Object.entries(rec.fields).filter(([k]) => k !== 'client-ip').map(([, v]) => v);
    line =
      rec.source === 'iis'
        ? vals.map((v) => (v === '' ? '-' : v.replace(/ /g, '+'))).join(' ')
        : vals.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
  }
  return line.length > EXCERPT_MAX ? `${line.slice(0, EXCERPT_MAX - 1)}…` : line;
}

export function clientIpOf(rec: LogRecord): string | null {
  const f = rec.fields;
  return f['client-ip'] || f['c-ip'] || f.ClientIpAddress || f.ClientIp || null;
}

/** Evidence of a log record: the real client (`client-ip`), and the connection address and
 * X-Forwarded-For as logged when a balancer sits in front (issue 4 item 8: keep both). */
export function evidenceOf(rec: LogRecord): Evidence {
  const f = rec.fields;
  const xff = f['X-Forwarded-For'] ?? f['cs(X-Forwarded-For)'];
  const client = clientIpOf(rec);
  const peer = f['c-ip'] || f.ClientIpAddress || null;
  return {
    kind: 'log',
    path: rec.location.path,
    line: rec.location.line ?? null,
    excerpt: excerptOf(rec),
    clientIp: client,
    logFamily: rec.source,
    ...(peer && peer !== client ? { peerIp: peer } : {}),
    ...(xff ? { forwardedFor: xff } : {}),
  };
}

/** One finding for one matching record (`--raw`). */
export function rawFinding(rec: LogRecord, hit: MatchHit): Finding {
  return ruleHitFinding({
    rule: hit.rule,
    severity: hit.severity,
    evidence: evidenceOf(rec),
    time: rec.time,
    at: { path: rec.location.path, line: rec.location.line ?? null },
    details: hit.status ? { status: hit.status } : {},
  });
}
