/**
 * The opening of the text report: the verdict (COMPROMISED / SUSPICIOUS / NO EVIDENCE FOUND /
 * NOT EXAMINED and EXPOSED / NOT EXPOSED / EXPOSURE UNKNOWN) with its one-line reasons, what the
 * examination could not cover, then what to do now. Words wrap; nothing is cut.
 */
import type { CompromiseVerdict, ExposureVerdict, Posture, Verdict } from '../findings/types.js';
import { oneLine } from './escape.js';
import { num, plural, wrapPaths, wrapWords, type Painter } from './text-format.js';

export const COMPROMISE_LABEL: Readonly<Record<CompromiseVerdict, string>> = {
  compromised: 'COMPROMISED',
  suspicious: 'SUSPICIOUS',
  'none-found': 'NO EVIDENCE FOUND',
  'not-examined': 'NOT EXAMINED',
};

export const EXPOSURE_LABEL: Readonly<Record<ExposureVerdict, string>> = {
  exposed: 'EXPOSED',
  'not-exposed': 'NOT EXPOSED',
  unknown: 'EXPOSURE UNKNOWN',
};

const COMPROMISE_STYLE: Readonly<Record<CompromiseVerdict, string>> = {
  compromised: '1;97;41', suspicious: '1;33', 'none-found': '1;32', 'not-examined': '1',
};
const EXPOSURE_STYLE: Readonly<Record<ExposureVerdict, string>> = { exposed: '1;31', 'not-exposed': '1;32', unknown: '1;33' };

const MAX_STEP_ITEMS = 5;

function compromiseHead(v: Verdict): string {
  switch (v.compromise) {
    case 'compromised': return `${plural(v.compromiseFindings, 'finding')} of compromise${v.suspiciousFindings > 0 ? `, ${num(v.suspiciousFindings)} suspicious` : ''}`;
    case 'suspicious': return `${plural(v.suspiciousFindings, 'attempt or weaker sign', 'attempts or weaker signs')} of attack, no proof of compromise`;
    case 'none-found': return 'no evidence of compromise in what was examined';
    case 'not-examined': return 'compromise not examined (no logs, event logs or files in this report)';
  }
}

/** `Directive: NAME: NOT COMPLIANT — reason` for a directive judged with the posture (`--directive`). */
export function directiveLines(p: Posture | null, width: number): string[] {
  const d = p?.directive;
  if (d === null || d === undefined || typeof d !== 'object') return [];
  const o = d as { name?: unknown; compliant?: unknown; reason?: unknown };
  const verdict = o.compliant === true ? 'COMPLIANT' : o.compliant === false ? 'NOT COMPLIANT' : 'UNKNOWN';
  const text = (v: unknown): string => (typeof v === 'string' ? oneLine(v) : '');
  return wrapWords(`${text(o.name)}: ${verdict} — ${text(o.reason)}`, 'Directive: ', width);
}

/** Step items: paths and ids wrapped as a list (a long path shortened in the middle); prose wrapped by words. */
function itemLines(items: readonly string[], pad: string, width: number): string[] {
  const room = width - pad.length - 1;
  const prose = items.some((i) => !i.includes('/') && i.includes(' ') && [...i].length > room);
  return prose ? items.flatMap((i) => wrapWords(oneLine(i), pad, width)) : wrapPaths(items.map(oneLine), pad, width);
}

/** The verdict lines: the two answers, each with its reasons, then the coverage gaps. */
export function verdictLines(v: Verdict, width: number, paint: Painter): string[] {
  const lines: string[] = [];
  const label = COMPROMISE_LABEL[v.compromise];
  const head = wrapWords(`${label} — ${compromiseHead(v)}`, '', width);
  lines.push(...head.map((l, i) => (i === 0 ? `${paint(COMPROMISE_STYLE[v.compromise], label)}${l.slice(label.length)}` : l)));
  if (v.compromise === 'compromised' || v.compromise === 'suspicious') {
    for (const r of v.reasons.filter((x) => x.about === 'compromise')) lines.push(...wrapWords(oneLine(r.text), '  ', width));
  }
  const exposure = v.reasons.find((r) => r.about === 'exposure');
  const elabel = EXPOSURE_LABEL[v.exposure];
  const etext = (exposure?.text ?? '').replace(/^(Exposed|Not exposed|Unknown): /, '');
  const eLines = wrapWords(`${elabel} — ${oneLine(etext)}`, '', width);
  lines.push(...eLines.map((l, i) => (i === 0 ? `${paint(EXPOSURE_STYLE[v.exposure], elabel)}${l.slice(elabel.length)}` : l)));
  const gaps = v.coverageGaps;
  if (gaps.length > 0) {
    lines.push('Not covered by this examination:');
    for (const g of gaps) lines.push(...wrapWords(oneLine(g.text), '  - ', width));
  }
  return lines;
}

/** "What to do now": the verdict's next steps, numbered, wrapped, with up to five items each. */
export function stepLines(v: Verdict, width: number, heading: (s: string) => string): string[] {
  if (v.nextSteps.length === 0) return [];
  const lines = [heading(v.compromise === 'compromised' ? 'What to do now (containment first):' : 'What to do now:')];
  for (const step of v.nextSteps) {
    const first = `  ${step.order}. `;
    lines.push(...wrapWords(oneLine(step.text), first, width));
    const pad = ' '.repeat(first.length + 2);
    if (step.items.length > 0) lines.push(...itemLines(step.items.slice(0, MAX_STEP_ITEMS), pad, width));
    if (step.items.length > MAX_STEP_ITEMS) lines.push(`${pad}... and ${num(step.items.length - MAX_STEP_ITEMS)} more`);
  }
  return lines;
}
