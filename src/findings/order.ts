/** The order findings are reported in: most severe first, then by time, path and line. */
import { severityRank, type Finding } from './types.js';

function cmp(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return a < b ? -1 : 1;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      cmp(a.firstSeen ?? a.time, b.firstSeen ?? b.time) ||
      cmp(a.evidence.path, b.evidence.path) ||
      cmp(a.evidence.line, b.evidence.line) ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.id, b.id),
  );
}
