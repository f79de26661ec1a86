/**
 * The log matcher (hot path): rules indexed by log family and grouped by field mapping, so
 * each record builds at most one FieldView per mapping; a rule's prefilter (a literal the
 * record must contain) is checked before its detection runs.
 */
import type { Severity } from '../../findings/types.js';
import type { LogFamily, LogRecord } from '../../parsers/types.js';
import { createFieldView } from '../../rules/field-view.js';
import type { FieldSource, FieldView, LogRule, Prefilter, StatusClass } from '../../rules/types.js';

export interface MatchHit {
  readonly rule: LogRule;
  /** The rule's severity, or its severity for the record's HTTP status class. */
  readonly severity: Severity;
  readonly status: string | null;
}

export interface LogMatcher {
  match(rec: LogRecord): MatchHit[];
  /** Families some rule applies to (others need not be parsed at all). */
  readonly families: ReadonlySet<LogFamily>;
}

interface Group {
  readonly mapping: ReadonlyMap<string, FieldSource> | null;
  readonly rules: readonly LogRule[];
}

/** Where each family logs the HTTP status (for severity by status class). */
export const STATUS_FIELD: Readonly<Partial<Record<LogFamily, string>>> = {
  iis: 'sc-status',
  httpproxy: 'HttpStatus',
  'rps-http': 'HttpStatus',
  'ecp-activity': 'HttpStatus',
};

function passes(pf: Prefilter, view: FieldView): boolean {
  if (pf === null) return true;
  for (const alt of pf) {
    const s = alt.field === null ? view.textLower() : view.lower(alt.field);
    if (s === undefined) continue;
    for (const lit of alt.literals) if (s.includes(lit)) return true;
  }
  return false;
}

function severityFor(rule: LogRule, status: string | null): Severity {
  if (rule.kind !== 'builtin' || !rule.severityByStatus || !status) return rule.meta.severity;
  const cls = `${status.trim().charAt(0)}xx` as StatusClass;
  return rule.severityByStatus[cls] ?? rule.meta.severity;
}

function buildIndex(rules: readonly LogRule[]): Map<LogFamily, Group[]> {
  const index = new Map<LogFamily, Group[]>();
  for (const rule of rules) {
    for (const fam of rule.families) {
      const mapping = rule.kind === 'sigma' ? (rule.mapping[fam] ?? null) : null;
      const groups = index.get(fam) ?? [];
      let g = groups.find((x) => x.mapping === mapping);
      if (!g) {
        g = { mapping, rules: [] };
        groups.push(g);
      }
      (g.rules as LogRule[]).push(rule);
      index.set(fam, groups);
    }
  }
  return index;
}

export function createLogMatcher(rules: readonly LogRule[]): LogMatcher {
  const index = buildIndex(rules);
  return {
    families: new Set(index.keys()),
    match(rec) {
      const groups = index.get(rec.source);
      if (!groups) return [];
      let hits: MatchHit[] | undefined;
      for (const g of groups) {
        const view = createFieldView(rec, g.mapping);
        for (const rule of g.rules) {
          if (!passes(rule.detection.prefilter, view) || !rule.detection.test(view)) continue;
          const sf = STATUS_FIELD[rec.source];
          const status = sf ? (rec.fields[sf] ?? null) : null;
          (hits ??= []).push({ rule, severity: severityFor(rule, status), status });
        }
      }
      return hits ?? [];
    },
  };
}
