/**
 * The human posture view printed by `exhunt posture` in text format: the verdict first (exposed?
 * the directive's verdict), then release, support, the open CVEs (the exploited and most severe
 * ones; `--all` lists every one and the CVEs published for an out-of-support product), what to
 * install and what to do. Fits one screen by default.
 */
import { severityRank, type Posture, type Verdict } from '../findings/types.js';
import { cveSeverity } from '../engines/posture/findings.js';
import type { KbIndex } from '../engines/posture/kb-index.js';
import type { DirectiveResult } from '../engines/posture/directive.js';
import { oneLine } from '../report/escape.js';
import { wrapWords } from '../report/text-format.js';
import { directiveLines as judged, stepLines, verdictLines } from '../report/verdict-text.js';

export interface PostureViewOptions {
  /** Every open CVE and every published CVE (default: the exploited and most severe, up to MAX_CVES). */
  readonly all?: boolean;
  readonly width?: number;
}

/** Open CVE lines shown without --all. */
export const MAX_CVES = 8;

function str(v: unknown): string | null {
  return typeof v === 'string' ? oneLine(v) : null;
}

function cveLines(idx: KbIndex, id: string, width: number): string[] {
  const c = idx.cves.get(id);
  const sev = cveSeverity(c).toUpperCase().padEnd(8);
  const flags = [c?.exploited === true ? 'exploited' : null, c?.kev === true ? 'KEV' : null, c?.family ?? null].filter((x) => x !== null);
  const cvss = c?.cvss === null || c?.cvss === undefined ? 'CVSS ?' : `CVSS ${c.cvss.toFixed(1)}`;
  return wrapWords(`${flags.length > 0 ? `[${flags.join(', ')}] ` : ''}${oneLine(c?.title ?? '')}`, `    ${sev} ${oneLine(id).padEnd(15)} ${cvss.padEnd(9)} `, width);
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

/** The open CVEs most worth reading first: exploited, then by severity and CVSS; ties by id. */
function ranked(idx: KbIndex, ids: readonly string[]): string[] {
  const key = (id: string): [number, number, number] => {
    const c = idx.cves.get(id);
    return [c?.exploited === true || c?.kev === true ? 1 : 0, severityRank(cveSeverity(c)), c?.cvss ?? 0];
  };
  return [...ids].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return kb[0] - ka[0] || kb[1] - ka[1] || kb[2] - ka[2] || a.localeCompare(b);
  });
}

export function postureView(idx: KbIndex, p: Posture, directive: DirectiveResult | null, verdict: Verdict | null = null, opts: PostureViewOptions = {}): string {
  const width = Math.max(60, opts.width ?? 100);
  const lines: string[] = [];
  if (verdict !== null) lines.push(...verdictLines({ ...verdict, coverageGaps: [] }, width, (_s, t) => t));
  lines.push(...judged({ ...p, directive }, width));
  if (lines.length > 0) lines.push('');
  const release = [p.product, p.cu, p.su].filter((x) => x !== null).map((x) => oneLine(String(x))).join(' ');
  lines.push(`Exchange build ${oneLine(p.build ?? 'unknown')} — ${release || 'not identified'}${p.buildSource !== null ? ` (from ${p.buildSource})` : ''}`);
  const note = str(p.note);
  if (note !== null) lines.push(...wrapWords(note, '  Note:      ', width));
  lines.push(supportLine(p));
  lines.push(...caseLines(idx, 'Best case ', p.bestCase), ...caseLines(idx, 'Worst case', p.worstCase));
  const exploited = p.openCves.filter((id) => idx.cves.get(id)?.exploited === true || idx.cves.get(id)?.kev === true).length;
  const order = ranked(idx, p.openCves);
  const shown = opts.all === true ? [...p.openCves] : order.slice(0, MAX_CVES);
  const which = shown.length < p.openCves.length ? `; the ${shown.length} most severe (exploited first):` : '';
  lines.push(`  Open CVEs: ${p.openCves.length}${p.worstCase ? ' (worst case)' : ''}${p.openCves.length > 0 ? `, ${exploited} exploited in the wild` : ''}${which}`);
  for (const id of shown) lines.push(...cveLines(idx, id, width));
  if (shown.length < p.openCves.length) lines.push(`    ... and ${p.openCves.length - shown.length} more (--all lists every one)`);
  if (p.openCvesIfConfigured.length > 0) {
    lines.push(`  Fixed only when configured: ${p.openCvesIfConfigured.length}`);
    for (const id of p.openCvesIfConfigured) lines.push(...wrapWords(oneLine(idx.cves.get(id)?.needsConfiguration ?? ''), `    ${oneLine(id).padEnd(15)} `, width));
  }
  if (Array.isArray(p.publishedCves)) {
    const list = p.publishedCves.filter((x): x is string => typeof x === 'string');
    const text = `Microsoft published fixes for ${list.length} CVEs for this product up to ${str(p.latestKnownUpdate) ?? '?'}; flaws found later are NOT being fixed${opts.all === true ? ':' : ' (--all lists them)'}`;
    lines.push(...wrapWords(text, '  Out of support: ', width));
    if (opts.all === true) for (let i = 0; i < list.length; i += 6) lines.push(`    ${list.slice(i, i + 6).map(oneLine).join(', ')}`);
  }
  lines.push(...fixLines(p).flatMap((l) => wrapWords(l.slice(13), l.slice(0, 13), width)));
  lines.push(`  Knowledge base: ${str(p.kbVersion) ?? '?'} (${str(p.kbDate) ?? '?'})`);
  if (verdict !== null) {
    const steps = stepLines(verdict, width, (t) => t);
    if (steps.length > 0) lines.push('', ...steps);
  }
  return `${lines.join('\n')}\n`;
}
