/**
 * The timeline as one self-contained HTML page: the same style sheet and Content-Security-
 * Policy as the HTML report (no script, no external resource, the style block allowed by its
 * hash), the drawn timeline and the table of events. Everything from evidence goes through
 * the auto-escaping `html` template.
 */
import type { Writable } from 'node:stream';
import { timelineInfo, windowText } from '../engines/timeline/build.js';
import type { TimelineEvent } from '../engines/timeline/types.js';
import { html, type SafeHtml } from './escape.js';
import { mergedTimelineSvg } from './html-timeline.js';
import { pageHead } from './html-style.js';
import { flushed, writeLong } from './stream.js';
import { headerLines } from './timeline-text.js';
import type { TimelineDoc, TimelineWriter } from './timeline-types.js';

/** More rows than this are not written to the page (the CSV and JSONL hold every event). */
export const MAX_ROWS = 20_000;

function row(e: TimelineEvent): SafeHtml {
  const sev = e.severity === null ? html`<span class="muted">file</span>` : html`<span class="sev ${e.severity}">${e.severity}</span>`;
  const where = e.line !== null ? `${e.path}:${e.line}` : e.record_id !== null ? `${e.path} #${e.record_id}` : e.path;
  return html`<tr><td><code>${e.datetime}</code></td><td>${e.timestamp_desc}</td><td>${sev}</td><td><code>${where}</code></td><td>${
    e.message}</td></tr>\n`;
}

function eventsTable(events: readonly TimelineEvent[]): SafeHtml {
  const shown = events.slice(0, MAX_ROWS);
  const more = events.length > shown.length
    ? html`<p class="caption">Only the first ${MAX_ROWS} of ${events.length} events are listed here; the CSV and JSONL formats hold them all.</p>`
    : null;
  return html`<table class="findings"><tr><th class="c-when">Time (UTC)</th><th class="c-sev">What</th><th class="c-sev">Severity</th><th class="c-finding">Where</th><th>Message</th></tr>
${shown.map(row)}</table>${more}`;
}

export function renderTimelineHtml(doc: TimelineDoc): string {
  const t = doc.report.target;
  const name = t.hostname ?? t.root;
  const info = timelineInfo(doc.timeline);
  const [, ...facts] = headerLines(doc);
  const page = html`<!DOCTYPE html>
<html lang="en">
${pageHead(`exhunt timeline — ${name}`)}
<body><main>
<header><h1>Timeline: ${name}</h1>
<p class="meta">${t.kind} <code>${t.root}</code> · window ${windowText(info)}</p></header>
<section><h2>Drawn</h2>${mergedTimelineSvg(doc.timeline.events)}
<ul class="plain">${facts.map((f) => html`<li class="caption">${f}</li>`)}</ul></section>
<section><h2>Events</h2>${eventsTable(doc.timeline.events)}</section>
<footer>exhunt ${doc.report.tool.version} · times are UTC · ${doc.report.findings.length} findings in the scan</footer>
</main></body>
</html>
`;
  return page.value;
}

export const timelineHtmlWriter: TimelineWriter = {
  format: 'html',
  async write(doc: TimelineDoc, out: Writable): Promise<void> {
    await writeLong(out, renderTimelineHtml(doc));
    await flushed(out);
  },
};
