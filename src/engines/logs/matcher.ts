/**
 * The log matcher (hot path): rules indexed by log family and grouped by field mapping, so
 * each record builds at most one FieldView per mapping; a rule's prefilter (a literal the
 * record must contain) is checked before its detection runs.
 */
import type { Severity } from '../../findings/types.js';
import type { LogFamily, LogRecord } from '../../parsers/types.js';
import { RecordView } from '../../rules/field-view.js';
import type { FieldSource, LogRule, StatusClass } from '../../rules/types.js';
import { screenOf } from './needles.js';
import type { LineScreen } from '../../parsers/logs/types.js';
import { PrefilterIndex } from './prefilter-index.js';

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
  /**
   * Line pre-screen for the parsers' `needles` option (see needles.ts): null when every line
   * of the family must be parsed; [] when no rule applies to the family.
   */
  needlesFor(family: LogFamily): readonly string[] | null;
  /** The same screen with its terms (needles.ts), for the parsers' `lineScreen` option. */
  screenFor(family: LogFamily): LineScreen | null;
}

interface Group {
  readonly mapping: ReadonlyMap<string, FieldSource> | null;
  readonly rules: readonly LogRule[];
  /** Reused for every record of the group (one matcher runs on one thread). */
  readonly view: RecordView;
  index: PrefilterIndex | null;
}

/** Where each family logs the HTTP status (for severity by status class). */
export const STATUS_FIELD: Readonly<Partial<Record<LogFamily, string>>> = {
  iis: 'sc-status',
  httpproxy: 'HttpStatus',
  'rps-http': 'HttpStatus',
  'ecp-activity': 'HttpStatus',
};

function severityFor(rule: LogRule, status: string | null): Severity {
  if (rule.kind !== 'builtin' || !rule.severityByStatus || !status) return rule.meta.severity;
  const cls = `${status.trim().charAt(0)}xx` as StatusClass;
  return rule.severityByStatus[cls] ?? rule.meta.severity;
}

function buildIndex(rules: readonly LogRule[]): Map<LogFamily, Group[]> {
  const index = new Map<LogFamily, Group[]>();
  for (const rule of rules) {
    for (const fam of rule.families) {
      const mapping = (rule.kind === 'sigma' ? rule.mapping[fam] : rule.mapping?.[fam]) ?? null;
      const groups = index.get(fam) ?? [];
      let g = groups.find((x) => x.mapping === mapping);
      if (!g) {
        g = { mapping, rules: [], view: new RecordView(mapping), index: null };
        groups.push(g);
      }
      (g.rules as LogRule[]).push(rule);
      index.set(fam, groups);
    }
  }
  for (const groups of index.values()) for (const g of groups) g.index = new PrefilterIndex(g.rules);
  return index;
}

/**
 * Families whose records are one line each (W3C IIS; HttpProxy, whose fields carry no line
 * breaks). Only their lines are dropped by the pre-screen: in the cmdlet and ECP logs a quoted
 * field (cmdlet parameters) can run over several lines, and a screen on single lines would drop
 * the record's first line when the matching text sits on a later one.
 */
const LINE_SCREENED: ReadonlySet<LogFamily> = new Set<LogFamily>(['iis', 'httpproxy']);

export function createLogMatcher(rules: readonly LogRule[]): LogMatcher {
  const index = buildIndex(rules);
  const screens = new Map<LogFamily, LineScreen | null>();
  for (const [fam, groups] of index) screens.set(fam, LINE_SCREENED.has(fam) ? screenOf(groups.flatMap((g) => g.rules)) : null);
  const screenFor = (family: LogFamily): LineScreen | null => (screens.has(family) ? (screens.get(family) ?? null) : { needles: [], terms: [] });
  return {
    families: new Set(index.keys()),
    needlesFor: (family) => screenFor(family)?.needles ?? null,
    screenFor,
    match(rec) {
      const groups = index.get(rec.source);
      if (!groups) return [];
      let hits: MatchHit[] | undefined;
      for (const g of groups) {
        const view = g.view.reset(rec);
        const pf = g.index as PrefilterIndex;
        pf.scan(view);
        for (let i = 0; i < g.rules.length; i++) {
          const rule = g.rules[i] as LogRule;
          if (!pf.isCandidate(i) || !rule.detection.test(view)) continue;
          const sf = STATUS_FIELD[rec.source];
          const status = sf ? (rec.fields[sf] ?? null) : null;
          (hits ??= []).push({ rule, severity: severityFor(rule, status), status });
        }
      }
      return hits ?? [];
    },
  };
}
