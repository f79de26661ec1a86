/**
 * The HTML report: ONE self-contained file for management. No script at all and no external
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
import { timelineSection } from './html-timeline.js';
import { scopeSection } from './html-scope.js';

/** `2021-03-03T00:59:58Z`: an ISO time without milliseconds. */
function isoSeconds(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

function verdict(s: Summary): SafeHtml {
  if (s.atOrAbove === 0) {
    return html`<p class="verdict good">Nothing at or above ${s.threshold}: no finding needs a responder's attention.</p>`;
  }
  const w = s.worst;
  return html`<p class="verdict bad">${s.atOrAbove} finding${s.atOrAbove === 1 ? '' : 's'} at or above ${s.threshold} need${
    s.atOrAbove === 1 ? 's' : ''} attention${w ? html` — most severe: ${w.severity}, ${w.title} in <code>${w.evidence.path}</code>` : null}.</p>`;
}

function footer(report: Report): SafeHtml {
  const st = report.stats;
  return html`<footer>exhunt ${report.tool.version} · report schema ${report.schemaVersion} · ${st.files} files, ${st.bytes} bytes, ${
    st.records} records (${st.skippedRecords} skipped) in ${st.seconds.toFixed(1)} s · times are UTC</footer>`;
}

/** The whole HTML document. */
export function renderHtml(report: Report, opts: WriteOptions = {}): string {
  const s = summarize(report, { threshold: opts.failOn ?? 'medium' });
  const t = report.target;
  const name = t.hostname ?? t.root;
  const page = html`<!DOCTYPE html>
<html lang="en">
${pageHead(`exhunt report — ${name} — ${report.asOf}`)}
<body><main>
<header><h1>Exchange server assessment: ${name}</h1>
<p class="meta">${t.kind} <code>${t.root}</code> · as of ${report.asOf} · ${s.total} findings${
    s.span ? html` between ${isoSeconds(s.span.from)} and ${isoSeconds(s.span.to)}` : null}</p>
${verdict(s)}</header>
${cards(s)}
${postureSection(report)}
${evidenceSection(report)}
<section><h2>Timeline</h2>${timelineSection(report)}</section>
${scopeSection(report)}
${findingsSection(s)}
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
