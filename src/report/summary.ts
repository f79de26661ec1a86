/**
 * The summary of a report, computed once and rendered by the text and HTML writers: counts by
 * severity and category, how many findings reach a threshold, the top rules, the time span of
 * the evidence and the findings grouped by severity in time order.
 */
import {
  CATEGORIES,
  SEVERITIES,
  atLeast,
  findingClass,
  type FindingClass,
  type Category,
  type Finding,
  type Report,
  type Severity,
} from '../findings/types.js';

export interface SummaryOptions {
  /** Findings at or above this severity are the ones that need attention (default `medium`). */
  readonly threshold?: Severity;
  /** How many rules `topRules` lists (default 5). */
  readonly topRules?: number;
}

export interface RuleCount {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  /** Number of findings of the rule. */
  readonly findings: number;
  /** Sum of the findings' `count` (hits before aggregation). */
  readonly hits: number;
}

export interface TimeSpan {
  readonly from: string;
  readonly to: string;
}

export interface SeverityGroup {
  readonly severity: Severity;
  readonly findings: readonly Finding[];
}

/** The findings of one class (compromise or exposure, findings/types.ts FINDING_CLASS). */
export interface ClassCount {
  readonly total: number;
  readonly atOrAbove: number;
  /** The most severe finding of the class (earliest first), when it reaches the threshold. */
  readonly worst: Finding | null;
}

export interface Summary {
  readonly total: number;
  /** Compromise and exposure counted apart (they are never added up for people). */
  readonly byClass: Readonly<Record<FindingClass, ClassCount>>;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly byCategory: Readonly<Record<Category, number>>;
  readonly threshold: Severity;
  readonly atOrAbove: number;
  /** The first finding of the most severe non-empty group, when it reaches the threshold. */
  readonly worst: Finding | null;
  readonly topRules: readonly RuleCount[];
  /** From the earliest `firstSeen`/`time` to the latest `lastSeen`/`time`; null without times. */
  readonly span: TimeSpan | null;
  /** Every severity, most severe first; each group sorted by time (untimed findings last). */
  readonly groups: readonly SeverityGroup[];
  readonly errors: number;
}

/** Milliseconds of an ISO time, or null when absent or unparsable. */
export function timeOf(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** When a finding starts: its first sighting, else its time. */
export function startOf(f: Finding): number | null {
  return timeOf(f.firstSeen) ?? timeOf(f.time);
}

/** When a finding ends: its last sighting, else its time, else its start. */
export function endOf(f: Finding): number | null {
  return timeOf(f.lastSeen) ?? timeOf(f.time) ?? startOf(f);
}

/**
 * Sorts by start time (untimed last), then path, line and record; the sort is stable, so
 * findings equal in all of these keep the order the engines gave them. Starts are parsed once.
 */
function sortByTime(findings: readonly Finding[]): Finding[] {
  const keyed = findings.map((f) => ({ f, t: startOf(f) ?? Infinity }));
  keyed.sort((a, b) => {
    if (a.t !== b.t) return a.t < b.t ? -1 : 1;
    const ea = a.f.evidence;
    const eb = b.f.evidence;
    if (ea.path !== eb.path) return ea.path < eb.path ? -1 : 1;
    return (ea.line ?? 0) - (eb.line ?? 0) || (ea.recordId ?? 0) - (eb.recordId ?? 0);
  });
  return keyed.map((k) => k.f);
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function topRules(findings: readonly Finding[], limit: number): RuleCount[] {
  const rules = new Map<string, RuleCount>();
  for (const f of findings) {
    const r = rules.get(f.ruleId);
    rules.set(f.ruleId, {
      ruleId: f.ruleId,
      title: r?.title ?? f.title,
      severity: r && atLeast(r.severity, f.severity) ? r.severity : f.severity,
      findings: (r?.findings ?? 0) + 1,
      hits: (r?.hits ?? 0) + f.count,
    });
  }
  return [...rules.values()]
    .sort((a, b) => b.findings - a.findings || b.hits - a.hits || a.ruleId.localeCompare(b.ruleId))
    .slice(0, limit);
}

function spanOf(findings: readonly Finding[]): TimeSpan | null {
  let from = Infinity;
  let to = -Infinity;
  for (const f of findings) {
    const s = startOf(f);
    const e = endOf(f);
    if (s !== null) from = Math.min(from, s);
    if (e !== null) to = Math.max(to, e);
  }
  if (from === Infinity || to === -Infinity) return null;
  return { from: new Date(from).toISOString(), to: new Date(Math.max(from, to)).toISOString() };
}

function classCount(groups: readonly SeverityGroup[], cls: FindingClass, threshold: Severity): ClassCount {
  let total = 0;
  let atOrAbove = 0;
  let worst: Finding | null = null;
  for (const g of groups) {
    for (const f of g.findings) {
      if (findingClass(f) !== cls) continue;
      total += 1;
      if (!atLeast(f.severity, threshold)) continue;
      atOrAbove += 1;
      worst ??= f;
    }
  }
  return { total, atOrAbove, worst };
}

export function summarize(report: Report, opts: SummaryOptions = {}): Summary {
  const threshold = opts.threshold ?? 'medium';
  const bySeverity = zeroCounts(SEVERITIES);
  const byCategory = zeroCounts(CATEGORIES);
  for (const f of report.findings) {
    bySeverity[f.severity] += 1;
    byCategory[f.category] += 1;
  }
  const groups = SEVERITIES.map((severity) => ({
    severity,
    findings: sortByTime(report.findings.filter((f) => f.severity === severity)),
  }));
  const first = groups.find((g) => g.findings.length > 0)?.findings[0] ?? null;
  return {
    total: report.findings.length,
    byClass: { compromise: classCount(groups, 'compromise', threshold), exposure: classCount(groups, 'exposure', threshold) },
    bySeverity,
    byCategory,
    threshold,
    atOrAbove: report.findings.filter((f) => atLeast(f.severity, threshold)).length,
    worst: first && atLeast(first.severity, threshold) ? first : null,
    topRules: topRules(report.findings, opts.topRules ?? 5),
    span: spanOf(report.findings),
    groups,
    errors: report.errors.length,
  };
}
