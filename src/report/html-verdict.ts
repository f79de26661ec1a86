/**
 * The top of the HTML report: the verdict (compromised? exposed?) with its one-line reasons,
 * what the examination could not cover, the directive's verdict when one was judged, and what
 * to do now, in order. Every value is interpolated through the auto-escaping `html` template.
 */
import type { Posture, Verdict } from '../findings/types.js';
import { html, type SafeHtml } from './escape.js';

const COMPROMISE: Readonly<Record<Verdict['compromise'], readonly [string, string]>> = {
  compromised: ['COMPROMISED', 'bad'],
  suspicious: ['SUSPICIOUS', 'warn'],
  'none-found': ['NO EVIDENCE FOUND', 'good'],
  'not-examined': ['NOT EXAMINED', 'none'],
};
const EXPOSURE: Readonly<Record<Verdict['exposure'], readonly [string, string]>> = {
  exposed: ['EXPOSED', 'bad'],
  'not-exposed': ['NOT EXPOSED', 'good'],
  unknown: ['EXPOSURE UNKNOWN', 'warn'],
};
const MAX_ITEMS = 10;

function compromiseLine(v: Verdict): string {
  switch (v.compromise) {
    case 'compromised': return `${v.compromiseFindings} finding${v.compromiseFindings === 1 ? '' : 's'} of compromise${v.suspiciousFindings > 0 ? `, ${v.suspiciousFindings} suspicious` : ''}`;
    case 'suspicious': return `${v.suspiciousFindings} attempt${v.suspiciousFindings === 1 ? '' : 's'} or weaker sign${v.suspiciousFindings === 1 ? '' : 's'} of attack, no proof of compromise`;
    case 'none-found': return 'No evidence of compromise in what was examined';
    case 'not-examined': return 'No logs, event logs or files were examined';
  }
}

function answer(label: readonly [string, string], line: string, reasons: readonly string[]): SafeHtml {
  return html`<div class="answer ${label[1]}"><div class="big">${label[0]}</div><div>${line}</div>${
    reasons.length > 0 ? html`<ul>${reasons.map((r) => html`<li>${r}</li>`)}</ul>` : null}</div>`;
}

function directiveBlock(p: Posture | null): SafeHtml | null {
  const d = p?.directive;
  if (d === null || d === undefined || typeof d !== 'object') return null;
  const o = d as { name?: unknown; compliant?: unknown; reason?: unknown; deadline?: unknown };
  const verdict = o.compliant === true ? 'COMPLIANT' : o.compliant === false ? 'NOT COMPLIANT' : 'UNKNOWN';
  const cls = o.compliant === true ? 'good' : o.compliant === false ? 'bad' : 'warn';
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return html`<p class="directive ${cls}"><strong>${text(o.name)}: ${verdict}</strong>${
    typeof o.deadline === 'string' ? html` (deadline ${o.deadline})` : null} — ${text(o.reason)}</p>`;
}

/** The verdict block: both answers side by side, the directive, and what was not covered. */
export function verdictSection(v: Verdict, posture: Posture | null): SafeHtml {
  const creasons = v.compromise === 'compromised' || v.compromise === 'suspicious' ? v.reasons.filter((r) => r.about === 'compromise').map((r) => r.text) : [];
  const exposure = v.reasons.find((r) => r.about === 'exposure')?.text.replace(/^(Exposed|Not exposed|Unknown): /, '') ?? '';
  const gaps = v.coverageGaps.length === 0 ? null
    : html`<div class="gaps"><strong>Not covered by this examination:</strong><ul>${v.coverageGaps.map((g) => html`<li>${g.text}</li>`)}</ul></div>`;
  return html`<section class="verdict-block" id="verdict"><h2>Verdict</h2><div class="answers">${
    answer(COMPROMISE[v.compromise], compromiseLine(v), creasons)}${answer(EXPOSURE[v.exposure], exposure, [])}</div>${
    directiveBlock(posture)}${gaps}</section>`;
}

/** What to do now: the verdict's next steps as an ordered list, each with up to ten items. */
export function stepsSection(v: Verdict): SafeHtml {
  if (v.nextSteps.length === 0) return html``;
  const title = v.compromise === 'compromised' ? 'What to do now (containment first)' : 'What to do now';
  return html`<section id="next-steps"><h2>${title}</h2><ol class="steps">${v.nextSteps.map((s) => html`<li>${s.text}${
    s.items.length > 0 ? html`<ul class="plain items">${s.items.slice(0, MAX_ITEMS).map((i) => html`<li><code>${i}</code></li>`)}${
      s.items.length > MAX_ITEMS ? html`<li class="muted">… ${s.items.length - MAX_ITEMS} more</li>` : null}</ul>` : null}</li>`)}</ol></section>`;
}
