/** Posture findings: one exposure item per server (open CVEs, support, unknown build) and build notes. */
import { findingId } from '../../findings/id.js';
import { severityRank, type Evidence, type Finding, type Severity } from '../../findings/types.js';
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

/** One CVE of the build as the exposure item and `posture.cveDetails` list it. */
export interface CveDetail {
  readonly id: string;
  readonly severity: Severity;
  readonly exploited: boolean | null;
  readonly kev: boolean | null;
  readonly cvss: number | null;
  readonly title: string | null;
  readonly family: string | null;
  /** Fixed on this build only when configured (`openCvesIfConfigured`). */
  readonly ifConfigured: boolean;
  readonly needsConfiguration: string | null;
  readonly fixedByDefault: boolean | null;
  readonly source: string | null;
}

/** Severity of a CVE fixed on the build only when configured: info when the fix is on by default. */
export function configSeverity(c: KbCve | undefined): Severity {
  return c?.fixedByDefault === true ? 'info' : c?.exploited === true ? 'high' : 'medium';
}

export function cveDetail(id: string, c: KbCve | undefined, ifConfigured: boolean): CveDetail {
  return {
    id,
    severity: ifConfigured ? configSeverity(c) : cveSeverity(c),
    exploited: c?.exploited ?? null,
    kev: c?.kev ?? null,
    cvss: c?.cvss ?? null,
    title: c?.title ?? null,
    family: c?.family ?? null,
    ifConfigured,
    needsConfiguration: ifConfigured ? (c?.needsConfiguration ?? null) : null,
    fixedByDefault: ifConfigured ? (c?.fixedByDefault ?? null) : null,
    source: c?.source ?? null,
  };
}

/** What the exposure item says besides its CVE list. */
export interface ExposureFacts {
  readonly build: string;
  /** Set when the build could not be judged (newer than the KB, malformed, another product). */
  readonly unjudged: string | null;
  /** Set when the product or CU no longer receives security fixes. */
  readonly unsupported: { readonly product: string; readonly reason: string; readonly noFixesSince: string | null } | null;
  readonly fix: string;
  readonly nearestKnownBuild: string | null;
}

function worst(ss: readonly Severity[]): Severity {
  return ss.reduce<Severity>((m, s) => (severityRank(s) > severityRank(m) ? s : m), 'info');
}

function exposureTitle(f: ExposureFacts, open: readonly CveDetail[], config: readonly CveDetail[]): string {
  if (f.unjudged !== null) return `Exposure unknown: ${f.unjudged}`;
  const exploited = open.filter((c) => c.exploited === true || c.kev === true).length;
  const parts: string[] = [];
  if (open.length > 0) parts.push(`${open.length} open CVE${open.length === 1 ? '' : 's'} (${exploited} exploited in the wild) on build ${f.build}`);
  if (f.unsupported !== null) {
    const since = f.unsupported.noFixesSince === null ? '' : `, no security fixes since ${f.unsupported.noFixesSince}`;
    parts.push(`out of support (${f.unsupported.reason}${since}): assume every later flaw is open`);
  }
  if (parts.length > 0) return `Exposed: ${parts.join('; ')}`;
  return `Exposure unknown: ${config.map((c) => c.id).join(', ')} fixed on build ${f.build} only when configured`;
}

/**
 * The one exposure item of a server (rule `posture.exposure`, `details.kind` "exposure"): its
 * open CVEs with severities and exploited flags, support status, or why the build could not be
 * judged; at the severity of the worst of them. null when the build is known, supported and has
 * nothing open (CVEs whose fix is on by default stay in `posture.cveDetails` only).
 */
export function exposureFinding(ctx: FindingContext, facts: ExposureFacts, cves: readonly CveDetail[]): Finding | null {
  const open = cves.filter((c) => !c.ifConfigured);
  const config = cves.filter((c) => c.ifConfigured && c.fixedByDefault !== true);
  if (facts.unjudged === null && facts.unsupported === null && open.length === 0 && config.length === 0) return null;
  const severities = [...open, ...config].map((c) => c.severity);
  if (facts.unsupported !== null) severities.push('high');
  if (facts.unjudged !== null) severities.push('medium');
  const listed = [...open, ...config];
  return make(ctx, 'posture.exposure', {
    title: exposureTitle(facts, open, config),
    severity: worst(severities),
    confidence: facts.unjudged === null ? 'high' : 'medium',
    cves: listed.map((c) => c.id).filter((id) => CVE_ID.test(id)),
    attack: open.some((c) => c.exploited === true) ? ['T1190'] : [],
    rule: { ...RULE, refs: [...new Set(listed.flatMap((c) => (c.source === null ? [] : [c.source])))] },
    details: {
      kind: 'exposure',
      build: facts.build,
      openCves: open.length,
      exploitedCves: open.filter((c) => c.exploited === true || c.kev === true).length,
      cves: listed,
      unsupported: facts.unsupported,
      unjudged: facts.unjudged,
      nearestKnownBuild: facts.nearestKnownBuild,
      fixedBy: facts.fix,
    },
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
