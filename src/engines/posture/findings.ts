/** Posture findings: one per open CVE, one per CVE fixed only when configured, support and build notes. */
import { findingId } from '../../findings/id.js';
import type { Evidence, Finding, Severity } from '../../findings/types.js';
import type { KbCve } from './types.js';

export interface FindingContext {
  readonly evidence: Evidence;
  readonly time: string | null;
}

const RULE = { source: 'builtin', author: 'exhunt', license: 'Apache-2.0' } as const;

/** Exploited in the wild → critical; CVSS ≥ 7 or unknown → high; else medium. */
export function cveSeverity(c: KbCve | undefined): Severity {
  if (c === undefined) return 'high';
  if (c.exploited || c.kev) return 'critical';
  if (c.cvss === null || c.cvss >= 7) return 'high';
  return 'medium';
}

function make(ctx: FindingContext, ruleId: string, f: Omit<Finding, 'id' | 'ruleId' | 'evidence' | 'time' | 'firstSeen' | 'lastSeen' | 'count' | 'attack' | 'category'> & { attack?: readonly string[] }): Finding {
  return {
    id: findingId({ ruleId, path: ctx.evidence.path }),
    ruleId,
    category: 'posture',
    evidence: ctx.evidence,
    time: ctx.time,
    firstSeen: null,
    lastSeen: null,
    count: 1,
    attack: f.attack ?? [],
    ...f,
  };
}

/** The report schema's CVE id pattern: advisories (ADV190018) stay in the title and rule id only. */
const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,}$/;

export function openCveFinding(ctx: FindingContext, id: string, c: KbCve | undefined, build: string, fix: string): Finding {
  const fam = c?.family !== undefined ? ` (${c.family})` : '';
  return make(ctx, `posture.open-cve.${id}`, {
    title: `${id}${fam} is not fixed on build ${build}: ${c?.title ?? 'vulnerability in the knowledge base'}`,
    severity: cveSeverity(c),
    confidence: 'high',
    cves: CVE_ID.test(id) ? [id] : [],
    attack: c?.exploited === true ? ['T1190'] : [],
    rule: { ...RULE, refs: c !== undefined ? [c.source] : [] },
    details: {
      cvss: c?.cvss ?? null,
      exploited: c?.exploited ?? null,
      kev: c?.kev ?? null,
      family: c?.family ?? null,
      fixedBy: fix,
    },
  });
}

export function configCveFinding(ctx: FindingContext, id: string, c: KbCve | undefined): Finding {
  return make(ctx, `posture.needs-config.${id}`, {
    title: `${id} is fixed on this build only when configured: ${c?.needsConfiguration ?? 'see the advisory'}`,
    severity: c?.fixedByDefault === true ? 'info' : c?.exploited === true ? 'high' : 'medium',
    confidence: 'low',
    cves: CVE_ID.test(id) ? [id] : [],
    rule: { ...RULE, refs: c !== undefined ? [c.source] : [] },
    details: { needsConfiguration: c?.needsConfiguration ?? null, exploited: c?.exploited ?? null },
  });
}

export function supportFinding(ctx: FindingContext, ruleId: string, product: string, reason: string, notFixedAfter: string | null): Finding {
  const later = notFixedAfter !== null ? ` Vulnerabilities found after ${notFixedAfter} are not being fixed for it.` : '';
  return make(ctx, ruleId, {
    title: `${product} is out of support: ${reason}.${later}`,
    severity: 'high',
    confidence: 'high',
    cves: [],
    rule: { ...RULE, refs: [] },
    details: { reason },
  });
}

export function buildNoteFinding(ctx: FindingContext, ruleId: string, title: string, details: Record<string, unknown>): Finding {
  return make(ctx, ruleId, {
    title,
    severity: 'medium',
    confidence: 'medium',
    cves: [],
    rule: { ...RULE, refs: [] },
    details,
  });
}
