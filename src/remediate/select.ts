/**
 * Which findings of a report call for quarantine: file findings of categories webshell,
 * artifact and persistence at medium or above by default, or exactly the `--finding` ids.
 * Findings on the same file are grouped; the highest-severity one justifies the removal.
 */
import { atLeast, severityRank, type Category, type Finding, type Report, type Severity } from '../findings/types.js';
import type { FindingRef } from './types.js';

export const DEFAULT_CATEGORIES: readonly Category[] = ['webshell', 'artifact', 'persistence'];

export interface Selection {
  readonly findingIds?: readonly string[];
  readonly minSeverity?: Severity;
}

export interface FileGroup {
  readonly evidencePath: string;
  /** The report's sha256 for the file (null when the report has none or they disagree). */
  readonly reportSha256: string | null;
  readonly finding: FindingRef;
  readonly findingIds: readonly string[];
}

export interface SelectResult {
  readonly groups: readonly FileGroup[];
  readonly skipped: readonly { readonly findingId: string; readonly reason: string }[];
}

function ref(f: Finding): FindingRef {
  return { id: f.id, ruleId: f.ruleId, title: f.title, severity: f.severity, category: f.category };
}

function wanted(f: Finding, sel: Selection): boolean {
  if (sel.findingIds && sel.findingIds.length > 0) return sel.findingIds.includes(f.id);
  return DEFAULT_CATEGORIES.includes(f.category) && atLeast(f.severity, sel.minSeverity ?? 'medium');
}

export function selectFindings(report: Report, sel: Selection): SelectResult {
  const byPath = new Map<string, Finding[]>();
  const skipped: { findingId: string; reason: string }[] = [];
  for (const f of report.findings) {
    if (!wanted(f, sel)) continue;
    if (f.evidence.kind !== 'file') {
      skipped.push({ findingId: f.id, reason: `not a file finding (evidence kind ${f.evidence.kind})` });
      continue;
    }
    const list = byPath.get(f.evidence.path) ?? [];
    list.push(f);
    byPath.set(f.evidence.path, list);
  }
  for (const id of sel.findingIds ?? []) {
    if (!report.findings.some((f) => f.id === id)) skipped.push({ findingId: id, reason: 'no finding with this id in the report' });
  }
  const groups: FileGroup[] = [];
  for (const [evidencePath, list] of byPath) {
    const sorted = [...list].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const hashes = new Set(list.map((f) => f.evidence.sha256 ?? null));
    const only = hashes.size === 1 ? [...hashes][0] : null;
    const primary = sorted[0];
    if (!primary) continue;
    groups.push({
      evidencePath,
      reportSha256: typeof only === 'string' ? only.toLowerCase() : null,
      finding: ref(primary),
      findingIds: sorted.map((f) => f.id),
    });
  }
  return { groups, skipped };
}
