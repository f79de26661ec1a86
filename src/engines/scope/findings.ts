/**
 * Findings of category `exfiltration` from the scope: a mailbox touched by an attacker identity
 * (high when a request succeeded), a mailbox export request (high when an attacker ran it or
 * it falls in the attack window, else low: admins export too), an archive staged in a web or
 * staging folder (high for a PST, medium for other archives).
 */
import { findingId } from '../../findings/id.js';
import type { Evidence, Finding, RuleRef, Severity } from '../../findings/types.js';
import type { ScopeExport, ScopeMailbox, ScopePlace, ScopeStaged } from './types.js';

const REF_EXPORT = 'https://learn.microsoft.com/powershell/module/exchange/new-mailboxexportrequest';
const REF_HAFNIUM = 'https://www.microsoft.com/en-us/security/blog/2021/03/02/hafnium-targeting-exchange-servers/';
const REF_COLLECTION = 'https://attack.mitre.org/techniques/T1114/002/';
const REF_STAGE = 'https://attack.mitre.org/techniques/T1074/001/';

function rule(refs: string[]): RuleRef {
  return { source: 'builtin', author: 'exhunt', license: 'Apache-2.0', refs };
}

function base(
  ruleId: string, title: string, severity: Severity, evidence: Evidence, key: string,
  time: string | null, last: string | null, count: number, attack: string[], refs: string[], details: Record<string, unknown>,
): Finding {
  return {
    id: findingId({ ruleId, path: evidence.path, key }),
    ruleId,
    title,
    severity,
    confidence: 'medium',
    category: 'exfiltration',
    cves: [],
    attack,
    evidence,
    time,
    firstSeen: time,
    lastSeen: last,
    count,
    rule: rule(refs),
    details,
  };
}

function placeEvidence(kind: 'log' | 'event', at: ScopePlace | null, excerpt: string): Evidence {
  return { kind, path: at?.path ?? '', line: at?.line ?? null, recordId: at?.recordId ?? null, excerpt };
}

export function mailboxFinding(m: ScopeMailbox, at: ScopePlace | null): Finding {
  const ok = (m.statusClasses['2xx'] ?? 0) + (m.statusClasses['cmdlet'] ?? 0) > 0 || m.exported;
  const protocols = Object.entries(m.protocols).map(([p, n]) => `${p} ${n}`).join(', ');
  const title = ok ? `Mailbox ${m.mailbox} accessed by an attacker identity` : `Mailbox ${m.mailbox}: attacker requests, none succeeded`;
  return base(
    'exhunt-scope-mailbox-access', title, ok ? 'high' : 'low',
    placeEvidence(at?.recordId != null ? 'event' : 'log', at, `${m.mailbox} by ${m.by.join(', ')}${protocols ? ` (${protocols})` : ''}`),
    `mailbox|${m.mailbox}`, m.firstSeen, m.lastSeen, Math.max(1, m.requests), ['T1114.002'], [REF_COLLECTION, REF_HAFNIUM],
    { mailbox: m.mailbox, by: m.by, protocols: m.protocols, bytesSent: m.bytesSent, statusClasses: m.statusClasses, exported: m.exported },
  );
}

export function exportFinding(e: ScopeExport, byAttacker: boolean): Finding {
  const target = e.filePath ?? 'an unknown file';
  const title = `Mailbox export request: ${e.mailbox ?? 'unknown mailbox'} to ${target}`;
  const excerpt = `${e.cmdlet}${e.mailbox ? ` -Mailbox ${e.mailbox}` : ''}${e.filePath ? ` -FilePath ${e.filePath}` : ''}`;
  return base(
    'exhunt-scope-mailbox-export', title, byAttacker ? 'high' : 'low',
    placeEvidence(e.source === 'event' ? 'event' : 'log', e.at, excerpt),
    `export|${e.at.line ?? ''}|${e.at.recordId ?? ''}`, e.time, e.time, 1, ['T1114.002'], [REF_EXPORT, REF_COLLECTION],
    { mailbox: e.mailbox, filePath: e.filePath, user: e.user, source: e.source, file: e.file, fileNote: e.fileNote, attacker: byAttacker },
  );
}

export function stagedFinding(s: ScopeStaged): Finding {
  const pst = s.kind.startsWith('pst') || s.kind === 'ost';
  const where = s.place === 'web' ? 'a web folder' : 'a staging folder';
  const title = pst ? `Mailbox data file (${s.kind}) in ${where}` : `Archive (${s.kind}) staged in ${where}`;
  return base(
    'exhunt-scope-archive-staged', title, pst ? 'high' : 'medium',
    { kind: 'file', path: s.path, sha256: null, size: s.size, mtime: s.mtime },
    'staged', s.mtime, s.mtime, 1, ['T1074.001', 'T1560.001'], [REF_STAGE, REF_HAFNIUM],
    { size: s.size, kind: s.kind, place: s.place, mtime: s.mtime, birthtime: s.birthtime },
  );
}
