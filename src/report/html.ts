/**
 * The HTML report: ONE self-contained file for management. It opens with the verdict
 * (compromised? exposed? the directive's verdict, what was not covered) and what to do now;
 * the exposure details, evidence, timeline and findings follow. No script at all and no external
 * resource; a Content-Security-Policy meta tag allows only the inline style block (by its
 * hash) and data: images. Everything taken from the report is escaped by the `html` template.
 */
import type { Writable } from 'node:stream';
import type { Report } from '../findings/types.js';
import type { ReportWriter, WriteOptions } from './types.js';
import { html, type SafeHtml } from './escape.js';
import { flushed, writeLong } from './stream.js';
import { summarize, type Summary } from './summary.js';
import { pageHead } from './html-style.js';
import { cards, errorsSection, evidenceSection, findingsSection, postureSection } from './html-sections.js';
import { stepsSection, verdictSection } from './html-verdict.js';
import { computeVerdict } from '../verdict/compute.js';
import { timelineSection } from './html-timeline.js';
import { scopeSection } from './html-scope.js';

/** `2021-03-03T00:59:58Z`: an ISO time without milliseconds. */
function isoSeconds(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

/** The --fail-on line: compromise and exposure counted apart, never added up. */
function thresholdLine(s: Summary): SafeHtml {
  const { compromise, exposure } = s.byClass;
  if (compromise.atOrAbove === 0 && exposure.atOrAbove === 0) {
    return html`<p class="verdict good">Nothing at or above ${s.threshold}, of compromise or of exposure.</p>`;
  }
  const w = compromise.worst;
  const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  return html`<p class="verdict bad">At or above ${s.threshold}: ${plural(compromise.atOrAbove, 'finding')} of compromise${
    w ? html` (most severe: ${w.severity}, ${w.title} in <code>${w.evidence.path}</code>)` : null}; ${plural(exposure.atOrAbove, 'finding')} of exposure and configuration.</p>`;
}

function footer(report: Report): SafeHtml {
  const st = report.stats;
  return html`<footer>exhunt ${report.tool.version} · report schema ${report.schemaVersion} · ${st.files} files, ${st.bytes} bytes, ${
    st.records} records (${st.skippedRecords} skipped) in ${st.seconds.toFixed(1)} s · times are UTC</footer>`;
}

/** The whole HTML document. */
export function renderHtml(report: Report, opts: WriteOptions = {}): string {
  const s = summarize(report, { threshold: opts.failOn ?? 'medium' });
  const v = report.verdict ?? computeVerdict(report);
  const t = report.target;
  const name = t.hostname ?? t.root;
  const page = html`<!DOCTYPE html>
<html lang="en">
${pageHead(`exhunt report — ${name} — ${report.asOf}`)}
<body><main>
<header><h1>Exchange server assessment: ${name}</h1>
<p class="meta">${t.kind} <code>${t.root}</code> · as of ${report.asOf} · ${s.byClass.compromise.total} findings of compromise, ${
    s.byClass.exposure.total} of exposure and configuration${s.span ? html` between ${isoSeconds(s.span.from)} and ${isoSeconds(s.span.to)}` : null}</p>
</header>
${verdictSection(v, report.posture)}
${stepsSection(v)}
${thresholdLine(s)}
${cards(s)}
${findingsSection(s, 'compromise')}
<section><h2>Timeline</h2>${timelineSection(report)}</section>
${scopeSection(report)}
${postureSection(report, v.openCves)}
${findingsSection(s, 'exposure')}
${evidenceSection(report)}
${errorsSection(report)}
${footer(report)}
</main></body>
</html>
`;
  return page.value;
}

export const htmlWriter: ReportWriter = {
  format: 'html',
  async write(report: Report, out: Writable, opts?: WriteOptions): Promise<void> {
    await writeLong(out, renderHtml(report, opts));
    await flushed(out);
  },
};
