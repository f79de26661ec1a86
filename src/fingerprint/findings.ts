/** Fingerprint findings: each target's posture findings re-anchored on its URL, and certificate expiry. */
import { findingId } from '../findings/id.js';
import type { Finding } from '../findings/types.js';
import type { TlsInfo } from './types.js';

/** Certificates expiring within this many days get a low finding; expired ones a medium one. */
export const CERT_WARN_DAYS = 30;

/** A posture finding (anchored on `build:…`) moved to the target URL, with a new id. */
export function atUrl(f: Finding, url: string): Finding {
  const evidence = { kind: 'remote' as const, path: url, excerpt: f.evidence.path };
  return { ...f, id: findingId({ ruleId: f.ruleId, path: url }), evidence };
}

export function certFinding(tls: TlsInfo | null, url: string): Finding | null {
  if (tls === null || tls.daysLeft === null || tls.daysLeft > CERT_WARN_DAYS) return null;
  const expired = tls.daysLeft < 0;
  const ruleId = expired ? 'fingerprint.tls-cert-expired' : 'fingerprint.tls-cert-expiring';
  const when = expired ? `expired ${-tls.daysLeft} day(s) ago` : `expires in ${tls.daysLeft} day(s)`;
  return {
    id: findingId({ ruleId, path: url }),
    ruleId,
    title: `TLS certificate of ${url} ${when} (${tls.validTo ?? '?'})`,
    severity: expired ? 'medium' : 'low',
    confidence: 'high',
    category: 'posture',
    cves: [],
    attack: [],
    evidence: { kind: 'remote', path: url, excerpt: tls.subject ?? '' },
    time: null,
    firstSeen: null,
    lastSeen: null,
    count: 1,
    rule: { source: 'builtin', author: 'exhunt', license: 'Apache-2.0', refs: [] },
    details: { subject: tls.subject, issuer: tls.issuer, validTo: tls.validTo, daysLeft: tls.daysLeft },
  };
}
