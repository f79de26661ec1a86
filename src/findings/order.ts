/** The order findings are reported in: most severe first, then by time, path and line. */
import { severityRank, type Finding } from './types.js';

/** What the report order reads of a finding (`orderKeyOf`). */
export interface OrderKey {
  readonly rank: number;
  readonly start: string | null | undefined;
  readonly path: string | null | undefined;
  readonly line: number | null | undefined;
  readonly ruleId: string;
  readonly id: string;
}

export function orderKeyOf(f: Finding): OrderKey {
  return { rank: severityRank(f.severity), start: f.firstSeen ?? f.time, path: f.evidence.path, line: f.evidence.line, ruleId: f.ruleId, id: f.id };
}

/**
 * One member of the order: equal values tie; a missing value (null or undefined, the two
 * alike: a comparison must give one answer whichever side a value is on) goes last; then `<`.
 */
export function compareOrderValues(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (a === b) return 0;
  const noA = a === null || a === undefined;
  const noB = b === null || b === undefined;
  if (noA || noB) return noA && noB ? 0 : noA ? 1 : -1;
  return a < b ? -1 : 1;
}

/** The report order of two findings' keys. */
export function compareOrderKeys(a: OrderKey, b: OrderKey): number {
  return b.rank - a.rank || compareOrderValues(a.start, b.start) || compareOrderValues(a.path, b.path) || compareOrderValues(a.line, b.line) || compareOrderValues(a.ruleId, b.ruleId) || compareOrderValues(a.id, b.id);
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f) => ({ k: orderKeyOf(f), f }))
    .sort((a, b) => compareOrderKeys(a.k, b.k))
    .map((x) => x.f);
}
