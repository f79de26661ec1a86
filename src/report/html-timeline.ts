/**
 * The HTML report's timeline: an inline SVG with time running left to right across the
 * evidence period (the covered log windows and the findings' own times), one lane per
 * severity with a dot (and a bar from first to last sighting) per finding, and one lane per
 * coverage source showing its window and gaps. Text comes only through the `html` template.
 */
import { SEVERITIES, type Coverage, type Finding } from '../findings/types.js';
import { html, type SafeHtml } from './escape.js';
import { endOf, startOf, timeOf } from './summary.js';

const WIDTH = 960;
const LEFT = 110;
const RIGHT = 20;
const TOP = 10;
const LANE = 22;
const AXIS = 34;
const TICKS = 6;
/** More marks than this are not drawn (the table below still lists every finding). */
export const MAX_MARKS = 5000;

interface Window {
  readonly from: number;
  readonly to: number;
}

/** The period to draw: coverage windows and finding times together; padded when one instant. */
export function timelineWindow(findings: readonly Finding[], coverage: readonly Coverage[]): Window | null {
  let from = Infinity;
  let to = -Infinity;
  const add = (t: number | null): void => {
    if (t === null) return;
    from = Math.min(from, t);
    to = Math.max(to, t);
  };
  for (const f of findings) [startOf(f), endOf(f)].forEach(add);
  for (const c of coverage) [timeOf(c.from), timeOf(c.to)].forEach(add);
  if (from === Infinity) return null;
  const hour = 3600 * 1000;
  return to > from ? { from, to } : { from: from - hour, to: to + hour };
}

function scale(w: Window): (t: number) => number {
  return (t) => LEFT + ((t - w.from) / (w.to - w.from)) * (WIDTH - LEFT - RIGHT);
}

function tickLabel(t: number, w: Window): string {
  const iso = new Date(t).toISOString();
  return w.to - w.from > 3 * 24 * 3600 * 1000 ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

const px = (n: number): string => n.toFixed(1);

function findingMark(f: Finding, x: (t: number) => number, y: number): SafeHtml | null {
  const s = startOf(f);
  if (s === null) return null;
  const e = endOf(f) ?? s;
  const label = `${f.severity}: ${f.title} — ${f.evidence.path} (${f.count}×, ${f.firstSeen ?? f.time ?? ''}${
    f.lastSeen && f.lastSeen !== f.firstSeen ? ` .. ${f.lastSeen}` : ''})`;
  const bar = x(e) - x(s) >= 2
    ? html`<rect class="${f.severity}" x="${px(x(s))}" y="${px(y - 2)}" width="${px(x(e) - x(s))}" height="4"/>`
    : null;
  return html`<g class="mark"><title>${label}</title>${bar}<circle class="${f.severity}" cx="${px(x(s))}" cy="${px(y)}" r="4"/></g>`;
}

function coverageLane(c: Coverage, x: (t: number) => number, y: number): SafeHtml {
  const from = timeOf(c.from);
  const to = timeOf(c.to);
  const label = html`<text x="${LEFT - 8}" y="${px(y + 4)}" text-anchor="end">${c.source}</text>`;
  if (from === null || to === null) return label;
  const gaps = c.gaps.map((g) => {
    const gf = timeOf(g.from);
    const gt = timeOf(g.to);
    if (gf === null || gt === null) return null;
    return html`<rect class="gap" x="${px(x(gf))}" y="${px(y - 4)}" width="${px(Math.max(1, x(gt) - x(gf)))}" height="8"><title>gap ${g.from} .. ${g.to}</title></rect>`;
  });
  return html`${label}<rect class="covered" x="${px(x(from))}" y="${px(y - 4)}" width="${px(Math.max(1, x(to) - x(from)))}" height="8"><title>${c.source}: ${c.from} .. ${c.to}</title></rect>${gaps}`;
}

function axis(w: Window, x: (t: number) => number, y: number): SafeHtml {
  const ticks = Array.from({ length: TICKS }, (_, i) => w.from + ((w.to - w.from) * i) / (TICKS - 1));
  return html`<line class="axis" x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}"/>${ticks.map(
    (t, i) => html`<line class="axis" x1="${px(x(t))}" y1="${y}" x2="${px(x(t))}" y2="${y + 4}"/><text x="${px(x(t))}" y="${y + 16}" text-anchor="${
      i === 0 ? 'start' : i === TICKS - 1 ? 'end' : 'middle'}">${tickLabel(t, w)}</text>`,
  )}`;
}

/** The timeline SVG, or a sentence saying why there is none. */
export function timelineSvg(findings: readonly Finding[], coverage: readonly Coverage[]): SafeHtml {
  const w = timelineWindow(findings, coverage);
  if (w === null) return html`<p class="muted">No finding and no log carries a time, so there is no timeline.</p>`;
  const x = scale(w);
  const laneY = (i: number): number => TOP + i * LANE + LANE / 2;
  const height = TOP + (SEVERITIES.length + coverage.length) * LANE + AXIS;
  const severityLanes = SEVERITIES.map((s, i) => html`<rect class="lane" x="${LEFT}" y="${px(laneY(i) - LANE / 2 + 2)}" width="${WIDTH - LEFT - RIGHT}" height="${LANE - 4}"/><text x="${LEFT - 8}" y="${px(laneY(i) + 4)}" text-anchor="end">${s}</text>`);
  const marks = findings.slice(0, MAX_MARKS).map((f) => findingMark(f, x, laneY(SEVERITIES.indexOf(f.severity))));
  const cov = coverage.map((c, i) => coverageLane(c, x, laneY(SEVERITIES.length + i)));
  const untimed = findings.filter((f) => startOf(f) === null).length;
  const notes = [
    untimed > 0 ? `${untimed} finding(s) without a time are not drawn.` : null,
    findings.length > MAX_MARKS ? `Only the first ${MAX_MARKS} findings are drawn.` : null,
  ].filter((n) => n !== null);
  return html`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Findings over time, ${new Date(w.from).toISOString()} to ${new Date(w.to).toISOString()}">${severityLanes}${cov}${marks}${axis(w, x, height - AXIS + 6)}</svg>${
    notes.map((n) => html`<p class="muted">${n}</p>`)}`;
}
