/**
 * Small formatting helpers of the text report: times, sizes, evidence locations, fitting a
 * line to the terminal width and ANSI colour. Inputs from evidence are made single-line and
 * stripped of control sequences here (`oneLine`) before they are measured or painted.
 */
import type { Finding, Severity } from '../findings/types.js';
import { oneLine } from './escape.js';
import { timeOf } from './summary.js';

/** `2021-03-03 01:02:03Z` for a valid ISO time; the (sanitised) input otherwise. */
export function shortTime(iso: string): string {
  const t = timeOf(iso);
  if (t === null) return oneLine(iso);
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export function num(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export function bytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${UNITS[i]}`;
}

export function seconds(s: number): string {
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** `path:line`, `path #record` or `path` (sanitised). */
export function location(f: Finding): string {
  const { path, line, recordId } = f.evidence;
  const p = oneLine(path);
  if (typeof line === 'number') return `${p}:${line}`;
  if (typeof recordId === 'number') return `${p} #${recordId}`;
  return p;
}

/** `2021-03-03 01:02` (UTC, to the minute) for a valid ISO time; the sanitised input otherwise. */
export function minuteTime(iso: string): string {
  const t = timeOf(iso);
  return t === null ? oneLine(iso) : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

/** `(14×, 2021-03-03 01:02..01:09)`, `(1×, <time>)` or `(3×)`, in UTC; the date once if shared. */
export function sightings(f: Finding): string {
  const first = f.firstSeen ?? f.time;
  const last = f.lastSeen ?? f.time;
  if (first === null) return `(${num(f.count)}×)`;
  const a = minuteTime(first);
  const b = last === null ? a : minuteTime(last);
  if (b === a) return `(${num(f.count)}×, ${a})`;
  const sameDay = a.length === 16 && b.length === 16 && a.slice(0, 11) === b.slice(0, 11);
  return `(${num(f.count)}×, ${a}..${sameDay ? b.slice(11) : b})`;
}

function length(s: string): number {
  return [...s].length;
}

/** Cuts `s` to `width` code points, marking the cut with `…`. */
export function fit(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  return width <= 1 ? chars.slice(0, Math.max(0, width)).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

/** Cuts `s` from the left (`…tail`), keeping the end of a path, where the file name is. */
export function fitLeft(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  return width <= 1 ? '' : `…${chars.slice(chars.length - width + 1).join('')}`;
}

/**
 * Shortens a path to `width` code points in the middle (`C/Program Files/…/auth/x.aspx`),
 * keeping its start and, preferably, its whole last part (the file name); cut at a `/` when
 * one is near.
 */
export function fitMiddle(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 1) return fitLeft(s, width);
  const slash = s.lastIndexOf('/');
  const name = slash >= 0 ? [...s.slice(slash)] : [];
  const tailLen = name.length > 0 && name.length <= width - 2 ? Math.max(name.length, Math.floor((width - 1) / 2)) : Math.floor((width - 1) / 2);
  const headLen = width - 1 - tailLen;
  return `${chars.slice(0, headLen).join('')}…${chars.slice(chars.length - tailLen).join('')}`;
}

/**
 * `title<sep>where suffix` in at most `width` code points. When too long, the title keeps at
 * least 55% of the room (or what the location leaves), the location is cut from the left
 * (its end names the file), and the suffix stays whole.
 */
export function squeeze(title: string, where: string, suffix: string, width: number, sep = ' — '): string {
  const tail = suffix === '' ? '' : ` ${suffix}`;
  const room = width - length(sep) - length(tail);
  const lt = length(title);
  const lw = length(where);
  if (lt + lw <= room || room < 16) return fit(`${title}${sep}${where}${tail}`, width);
  const forTitle = Math.max(Math.min(lt, Math.ceil(room * 0.55)), room - lw);
  return fit(`${fit(title, forTitle)}${sep}${fitLeft(where, Math.max(1, room - forTitle))}${tail}`, width);
}

/** Joins items with `, ` after `first`, continuing on lines indented to match, within `width`. */
export function wrapList(items: readonly string[], first: string, width: number): string[] {
  const lines: string[] = [];
  const indent = ' '.repeat(length(first));
  let cur = '';
  for (const item of items) {
    const next = cur === '' ? item : `${cur}, ${item}`;
    const prefix = lines.length === 0 ? first : indent;
    if (cur !== '' && length(prefix) + length(next) + 1 > width) {
      lines.push(`${prefix}${cur},`);
      cur = item;
    } else {
      cur = next;
    }
  }
  if (cur !== '') lines.push(fit(`${lines.length === 0 ? first : indent}${cur}`, width));
  return lines;
}

/** `wrapList` for paths: an item too long for a line of its own is shortened in the middle, never cut at the end. */
export function wrapPaths(items: readonly string[], first: string, width: number): string[] {
  const room = Math.max(1, width - length(first) - 1);
  return wrapList(items.map((p) => fitMiddle(p, room)), first, width);
}

const SEVERITY_STYLE: Readonly<Record<Severity, string>> = {
  critical: '1;97;41',
  high: '1;31',
  medium: '33',
  low: '36',
  info: '2',
};

/** Paints text with ANSI SGR codes, or returns it as is when colour is off. */
export type Painter = (style: string, s: string) => string;

export function painter(color: boolean): Painter {
  return color ? (style, s) => `\x1b[${style}m${s}\x1b[0m` : (_style, s) => s;
}

export function severityStyle(s: Severity): string {
  return SEVERITY_STYLE[s];
}

/** Splits a word longer than `room` into pieces of `room` code points (wrapped, never cut). */
function pieces(word: string, room: number): string[] {
  const chars = [...word];
  if (chars.length <= room || room < 1) return [word];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += room) out.push(chars.slice(i, i + room).join(''));
  return out;
}

/**
 * Word-wraps `text` to `width`, the first line after `first`, the others indented to match.
 * A word longer than a line is broken across lines, never cut.
 */
export function wrapWords(text: string, first: string, width: number): string[] {
  const lines: string[] = [];
  const indent = ' '.repeat(length(first));
  const room = Math.max(1, width - Math.max(length(first), length(indent)));
  let cur = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '').flatMap((w) => pieces(w, room))) {
    const prefix = lines.length === 0 ? first : indent;
    if (cur !== '' && length(prefix) + length(cur) + 1 + length(word) > width) {
      lines.push(fit(`${prefix}${cur}`, width));
      cur = word;
    } else {
      cur = cur === '' ? word : `${cur} ${word}`;
    }
  }
  if (cur !== '') lines.push(fit(`${lines.length === 0 ? first : indent}${cur}`, width));
  return lines;
}
