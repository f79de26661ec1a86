/** The finding of one rule hit on one record, shared by the log and the event engines. */
import { findingId, type IdParts } from '../findings/id.js';
import type { Evidence, Finding, Severity } from '../findings/types.js';
import type { Rule } from '../rules/types.js';

export interface RuleHitParts {
  readonly rule: Extract<Rule, { readonly meta: unknown }>;
  readonly severity: Severity;
  readonly evidence: Evidence;
  readonly time: string | null;
  /** Where the hit is (path with line or record id) for the finding id. */
  readonly at: Omit<IdParts, 'ruleId'>;
  readonly details?: Finding['details'];
}

export function ruleHitFinding(p: RuleHitParts): Finding {
  const { meta } = p.rule;
  return {
    id: findingId({ ruleId: meta.id, ...p.at }),
    ruleId: meta.id,
    title: meta.title,
    severity: p.severity,
    confidence: meta.confidence,
    category: meta.category,
    cves: meta.cves,
    attack: meta.attack,
    evidence: p.evidence,
    time: p.time,
    firstSeen: p.time,
    lastSeen: p.time,
    count: 1,
    rule: { source: p.rule.kind, author: meta.author, license: meta.license, refs: meta.refs },
    details: p.details ?? {},
  };
}
