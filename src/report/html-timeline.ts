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

/** A rectangle (with an optional tooltip); all numbers in SVG user units. */
function rect(cls: string, x: number, y: number, w: number, h: number, tip?: string): SafeHtml {
  const title = tip === undefined ? null : html`<title>${tip}</title>`;
  return html`<rect class="${cls}" x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}">${title}</rect>`;
}

function label(x: number, y: number, text: string, anchor: 'start' | 'middle' | 'end'): SafeHtml {
  return html`<text x="${px(x)}" y="${px(y)}" text-anchor="${anchor}">${text}</text>`;
}

function findingMark(f: Finding, x: (t: number) => number, y: number): SafeHtml | null {
  const s = startOf(f);
  if (s === null) return null;
  const e = endOf(f) ?? s;
  const first = f.firstSeen ?? f.time ?? '';
  const until = f.lastSeen && f.lastSeen !== first ? ` .. ${f.lastSeen}` : '';
  const tip = `${f.severity}: ${f.title} — ${f.evidence.path} (${f.count}×, ${first}${until})`;
  const bar = x(e) - x(s) >= 2 ? rect(f.severity, x(s), y - 2, x(e) - x(s), 4) : null;
  const dot = html`<circle class="${f.severity}" cx="${px(x(s))}" cy="${px(y)}" r="4"/>`;
  return html`<g class="mark"><title>${tip}</title>${bar}${dot}</g>`;
}

function coverageLane(c: Coverage, x: (t: number) => number, y: number): SafeHtml {
  const from = timeOf(c.from);
  const to = timeOf(c.to);
  const name = label(LEFT - 8, y + 4, c.source, 'end');
  if (from === null || to === null) return name;
  const gaps = c.gaps.map((g) => {
    const gf = timeOf(g.from);
    const gt = timeOf(g.to);
    return gf === null || gt === null ? null : rect('gap', x(gf), y - 4, Math.max(1, x(gt) - x(gf)), 8, `gap ${g.from} .. ${g.to}`);
  });
  const covered = rect('covered', x(from), y - 4, Math.max(1, x(to) - x(from)), 8, `${c.source}: ${c.from} .. ${c.to}`);
  return html`${name}${covered}${gaps}`;
}

function axis(w: Window, x: (t: number) => number, y: number): SafeHtml {
  const ticks = Array.from({ length: TICKS }, (_, i) => w.from + ((w.to - w.from) * i) / (TICKS - 1));
  const marks = ticks.map((t, i) => {
    const anchor = i === 0 ? 'start' : i === TICKS - 1 ? 'end' : 'middle';
    const tick = html`<line class="axis" x1="${px(x(t))}" y1="${y}" x2="${px(x(t))}" y2="${y + 4}"/>`;
    return html`${tick}${label(x(t), y + 16, tickLabel(t, w), anchor)}`;
  });
  return html`<line class="axis" x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}"/>${marks}`;
}

function notes(findings: readonly Finding[], coverage: readonly Coverage[]): SafeHtml[] {
  const untimed = findings.filter((f) => startOf(f) === null).length;
  return [
    coverage.length > 0 ? 'Grey bars: the time each log source covers; dashed boxes: gaps with no logs.' : null,
    untimed > 0 ? `${untimed} finding(s) without a time are not drawn.` : null,
    findings.length > MAX_MARKS ? `Only the first ${MAX_MARKS} findings are drawn.` : null,
  ]
    .filter((n) => n !== null)
    .map((n) => html`<p class="caption">${n}</p>`);
}

/** The timeline SVG, or a sentence saying why there is none. */
export function timelineSvg(findings: readonly Finding[], coverage: readonly Coverage[]): SafeHtml {
  const w = timelineWindow(findings, coverage);
  if (w === null) return html`<p class="muted">No finding and no log carries a time, so there is no timeline.</p>`;
  const x = scale(w);
  const laneY = (i: number): number => TOP + i * LANE + LANE / 2;
  const height = TOP + (SEVERITIES.length + coverage.length) * LANE + AXIS;
  const lanes = SEVERITIES.map(
    (s, i) => html`${rect('lane', LEFT, laneY(i) - LANE / 2 + 2, WIDTH - LEFT - RIGHT, LANE - 4)}${label(LEFT - 8, laneY(i) + 4, s, 'end')}`,
  );
  const cov = coverage.map((c, i) => coverageLane(c, x, laneY(SEVERITIES.length + i)));
  const marks = findings.slice(0, MAX_MARKS).map((f) => findingMark(f, x, laneY(SEVERITIES.indexOf(f.severity))));
  const aria = `Findings over time, ${new Date(w.from).toISOString()} to ${new Date(w.to).toISOString()}`;
  return html`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${aria}">${
    lanes}${cov}${marks}${axis(w, x, height - AXIS + 6)}</svg>${notes(findings, coverage)}`;
}
