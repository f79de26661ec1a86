/**
 * The HTML report's timeline: an inline SVG with time running left to right across the
 * evidence period (the covered log windows and the findings' own times), one lane per
 * severity with a dot (and a bar from first to last sighting) per finding, and one lane per
 * coverage source showing its window and gaps; or, when the report carries the merged timeline
 * of `exhunt timeline` (`timeline` field), its findings and file-system times (`timelineSection`).
 * Text comes only through the `html` template.
 */
import { SEVERITIES, type Coverage, type Finding, type Report, type Severity } from '../findings/types.js';
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

/** The file-system lanes of the merged timeline: description (prefix, `($SI)`/`($FN)` from $MFT) → lane label and fill colour. */
const FILE_LANES: readonly (readonly [string, string, string])[] = [
  ['File Created', 'created', '#2e7d32'],
  ['File Modified', 'modified', '#6a1b9a'],
  ['Metadata Changed', 'changed', '#8d6e63'],
  ['File Accessed', 'accessed', '#90a4ae'],
];

/** The fields of a timeline event the drawing uses (read defensively from a loaded report). */
export interface DrawnEvent {
  readonly timestamp: number;
  readonly datetime: string;
  readonly timestamp_desc: string;
  readonly message: string;
  readonly source: string;
  readonly path: string;
  readonly severity: string | null;
}

function isDrawnEvent(v: unknown): v is DrawnEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.timestamp === 'number' && Number.isFinite(e.timestamp) && typeof e.datetime === 'string' &&
    typeof e.timestamp_desc === 'string' && typeof e.message === 'string' && typeof e.source === 'string' &&
    typeof e.path === 'string' && (e.severity === null || typeof e.severity === 'string');
}

/** The merged timeline a report carries (`timeline`, added by `exhunt timeline --format json`), or null. */
export function carriedTimeline(report: Report): DrawnEvent[] | null {
  const t = report.timeline;
  return Array.isArray(t) ? t.filter(isDrawnEvent) : null;
}

/** Lane index of an event: severities first, then the file-time lanes; -1 when it has none. */
function laneOf(e: DrawnEvent): number {
  if (e.source !== 'filesystem' && e.source !== 'mft') return SEVERITIES.indexOf(e.severity as Severity);
  const i = FILE_LANES.findIndex(([desc]) => e.timestamp_desc.startsWith(desc));
  return i < 0 ? -1 : SEVERITIES.length + i;
}

function eventMark(e: DrawnEvent, x: (t: number) => number, y: number, lane: number): SafeHtml {
  const t = e.timestamp / 1000;
  const tip = `${e.datetime} ${e.timestamp_desc}: ${e.message}`;
  if (lane < SEVERITIES.length) {
    return html`<circle class="${SEVERITIES[lane] ?? 'info'}" cx="${px(x(t))}" cy="${px(y)}" r="4"><title>${tip}</title></circle>`;
  }
  const fill = FILE_LANES[lane - SEVERITIES.length]?.[2] ?? '#9aa3ae';
  return html`<rect fill="${fill}" x="${px(x(t) - 1)}" y="${px(y - 6)}" width="2" height="12"><title>${tip}</title></rect>`;
}

/** Events to draw: findings first, then file times, at most MAX_MARKS. */
function drawable(events: readonly DrawnEvent[]): { e: DrawnEvent; lane: number }[] {
  const laned = events.map((e) => ({ e, lane: laneOf(e) })).filter((m) => m.lane >= 0);
  const findings = laned.filter((m) => m.lane < SEVERITIES.length);
  const files = laned.filter((m) => m.lane >= SEVERITIES.length);
  return [...findings, ...files].slice(0, MAX_MARKS);
}

/**
 * The merged timeline drawn: one lane per severity (finding events) and one per kind of file
 * time (created, modified, changed, accessed), time left to right over the events' period.
 */
export function mergedTimelineSvg(events: readonly DrawnEvent[]): SafeHtml {
  const marks = drawable(events);
  if (marks.length === 0) return html`<p class="muted">The timeline holds no event, so there is nothing to draw.</p>`;
  const times = marks.map((m) => m.e.timestamp / 1000);
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const w: Window = hi > lo ? { from: lo, to: hi } : { from: lo - 3_600_000, to: hi + 3_600_000 };
  const x = scale(w);
  const laneY = (i: number): number => TOP + i * LANE + LANE / 2;
  const names = [...SEVERITIES, ...FILE_LANES.map(([, name]) => name)];
  const height = TOP + names.length * LANE + AXIS;
  const lanes = names.map(
    (n, i) => html`${rect('lane', LEFT, laneY(i) - LANE / 2 + 2, WIDTH - LEFT - RIGHT, LANE - 4)}${label(LEFT - 8, laneY(i) + 4, n, 'end')}`,
  );
  const drawn = marks.map((m) => eventMark(m.e, x, laneY(m.lane), m.lane));
  const aria = `Timeline of findings and file times, ${new Date(w.from).toISOString()} to ${new Date(w.to).toISOString()}`;
  const more = events.length > marks.length ? html`<p class="caption">${marks.length} of ${events.length} events are drawn (findings first); the table lists them all.</p>` : null;
  return html`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${aria}">${
    lanes}${drawn}${axis(w, x, height - AXIS + 6)}</svg>${more}`;
}

/** The report's timeline section body: the merged timeline when the report carries one, else the findings timeline. */
export function timelineSection(report: Report): SafeHtml {
  const merged = carriedTimeline(report);
  return merged === null ? timelineSvg(report.findings, report.coverage) : mergedTimelineSvg(merged);
}
