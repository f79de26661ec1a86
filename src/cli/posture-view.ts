/** The human posture view printed by `exhunt posture` in text format: release, support, open CVEs, what to install. */
import type { Posture } from '../findings/types.js';
import { cveSeverity } from '../engines/posture/findings.js';
import type { KbIndex } from '../engines/posture/kb-index.js';
import type { DirectiveResult } from '../engines/posture/directive.js';
import { oneLine } from '../report/escape.js';

function str(v: unknown): string | null {
  return typeof v === 'string' ? oneLine(v) : null;
}

function cveLine(idx: KbIndex, id: string): string {
  const c = idx.cves.get(id);
  const sev = cveSeverity(c).toUpperCase().padEnd(8);
  const flags = [c?.exploited === true ? 'exploited' : null, c?.kev === true ? 'KEV' : null, c?.family ?? null].filter((x) => x !== null);
  const cvss = c?.cvss === null || c?.cvss === undefined ? 'CVSS ?' : `CVSS ${c.cvss.toFixed(1)}`;
  return `    ${sev} ${id.padEnd(15)} ${cvss.padEnd(9)} ${flags.length > 0 ? `[${flags.join(', ')}] ` : ''}${oneLine(c?.title ?? '')}`;
}

function supportLine(p: Posture): string {
  const ends = str(p.supportEnds);
  const reason = str(p.supportReason) ?? 'support unknown';
  if (p.supported === true) return `  Support:   supported${ends !== null ? ` (product support ends ${ends})` : ''}`;
  if (p.supported === false) return `  Support:   NOT supported — ${reason}`;
  return '  Support:   unknown';
}

function fixLines(p: Posture): string[] {
  const f = p.fixedBy;
  if (f === null) return p.openCves.length === 0 ? ['  Install:   nothing open that the knowledge base knows of'] : [];
  const what = `${str(f.cu) ?? ''} ${f.su ?? ''} (build ${f.build ?? '?'})`.trim();
  const lines = f.build === p.build
    ? ['  Install:   nothing newer exists for this build; apply the configuration steps listed above']
    : [`  Install:   ${what}${f.sameCu === true ? ' — the newest update for your CU closes every open CVE' : ''}`];
  if (f.latestCu !== null && f.latestCu !== undefined) lines.push(`  Latest CU: ${oneLine(f.latestCu)} (newest build ${str(f.latestCuBuild) ?? '?'})`);
  const note = str(f.note);
  if (note !== null && note !== '') lines.push(`  Note:      ${note}`);
  return lines;
}

function caseLines(idx: KbIndex, label: string, c: unknown): string[] {
  if (typeof c !== 'object' || c === null) return [];
  const v = c as { build: string; su: string | null; openCves: string[] };
  return [`  ${label}: as ${oneLine(v.build)} (${oneLine(v.su ?? 'CU release')}): ${v.openCves.length} open CVE(s)`];
}

export function postureView(idx: KbIndex, p: Posture, directive: DirectiveResult | null): string {
  const lines: string[] = [];
  const release = [p.product, p.cu, p.su].filter((x) => x !== null).map((x) => oneLine(String(x))).join(' ');
  lines.push(`Exchange build ${oneLine(p.build ?? 'unknown')} — ${release || 'not identified'}${p.buildSource !== null ? ` (from ${p.buildSource})` : ''}`);
  const note = str(p.note);
  if (note !== null) lines.push(`  Note:      ${note}`);
  lines.push(supportLine(p));
  lines.push(...caseLines(idx, 'Best case ', p.bestCase), ...caseLines(idx, 'Worst case', p.worstCase));
  lines.push(`  Open CVEs: ${p.openCves.length}${p.worstCase ? ' (worst case)' : ''}`);
  for (const id of p.openCves) lines.push(cveLine(idx, id));
  if (p.openCvesIfConfigured.length > 0) {
    lines.push(`  Fixed only when configured: ${p.openCvesIfConfigured.length}`);
    for (const id of p.openCvesIfConfigured) lines.push(`    ${id.padEnd(15)} ${oneLine(idx.cves.get(id)?.needsConfiguration ?? '')}`);
  }
  if (Array.isArray(p.publishedCves)) {
    const list = p.publishedCves.filter((x): x is string => typeof x === 'string');
    lines.push(`  Out of support: Microsoft published fixes for ${list.length} CVEs for this product up to ${str(p.latestKnownUpdate) ?? '?'}; flaws found later are NOT being fixed:`);
    for (let i = 0; i < list.length; i += 6) lines.push(`    ${list.slice(i, i + 6).map(oneLine).join(', ')}`);
  }
  lines.push(...fixLines(p));
  if (directive !== null) {
    const verdict = directive.compliant === null ? 'UNKNOWN' : directive.compliant ? 'COMPLIANT' : 'NOT COMPLIANT';
    lines.push(`  Directive: ${oneLine(directive.name)}: ${verdict} — ${oneLine(directive.reason)}`);
  }
  lines.push(`  Knowledge base: ${str(p.kbVersion) ?? '?'} (${str(p.kbDate) ?? '?'})`);
  return `${lines.join('\n')}\n\n`;
}
