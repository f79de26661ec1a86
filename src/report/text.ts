/**
 * The text report: a short summary a responder reads in a terminal. Target and posture, what
 * evidence was found, coverage, findings by severity, top rules, time span, errors, stats and
 * a closing line (plus, with --fail-on, why the run exits 0 or 1). Evidence strings are made
 * single-line and stripped of escape sequences; colour only when asked; lines fit the width.
 */
import type { Writable } from 'node:stream';
import type { Report, Severity } from '../findings/types.js';
import type { ReportWriter, WriteOptions } from './types.js';
import { oneLine } from './escape.js';
import { flushed, writeLong } from './stream.js';
import { summarize, timeOf, type Summary } from './summary.js';
import { scopeTextLines } from './scope-text.js';
import {
  bytes, fit, location, minuteTime, num, painter, plural, seconds, severityStyle, shortTime, sightings, squeeze, wrapList, wrapWords,
  type Painter,
} from './text-format.js';

interface Ctx {
  readonly report: Report;
  readonly summary: Summary;
  readonly width: number;
  readonly paint: Painter;
  readonly maxPerGroup: number;
}

const DAY_MS = 24 * 3600 * 1000;
const MAX_ERRORS_SHOWN = 3;

function heading(c: Ctx, s: string): string {
  return c.paint('1', fit(s, c.width));
}

function targetLines(c: Ctx): string[] {
  const { target, tool, asOf } = c.report;
  const host = target.hostname === null ? '' : ` (host ${oneLine(target.hostname)})`;
  return [heading(c, `exhunt ${oneLine(tool.version)} — ${oneLine(target.kind)} ${oneLine(target.root)}${host}, as of ${oneLine(asOf)}`)];
}

function postureLines(c: Ctx): string[] {
  const p = c.report.posture;
  if (!p) return [];
  const release = [p.product, p.cu].filter((x) => x !== null).join(' ') || 'unknown release';
  const su = p.su ? `, ${p.su}` : p.cu === null ? '' : ', no SU';
  const from = p.buildSource === null ? '' : ` (${p.buildSource})`;
  const support = p.supported === null ? 'support unknown' : p.supported ? 'supported' : 'unsupported';
  const lines = [fit(oneLine(`Posture: ${release}${su} — build ${p.build ?? 'unknown'}${from}, ${support}`), c.width)];
  if (p.openCves.length === 0) lines.push('  no open CVEs');
  else lines.push(...wrapList(p.openCves.map(oneLine), `  ${plural(p.openCves.length, 'open CVE')}: `, c.width));
  if (p.openCvesIfConfigured.length > 0) {
    lines.push(...wrapList(p.openCvesIfConfigured.map(oneLine), '  open if configured: ', c.width));
  }
  const fix = p.fixedBy;
  if (fix) {
    const parts = [fix.su ? `${fix.su}${fix.build ? ` (${fix.build})` : ''}` : fix.build, fix.latestCu ? `latest ${fix.latestCu}` : null];
    const text = parts.filter((x) => x).join('; ');
    if (text) lines.push(fit(oneLine(`  fixed by: ${text}`), c.width));
  }
  return lines;
}

function discoveryLines(c: Ctx): string[] {
  const items = c.report.discovery ?? [];
  if (items.length === 0) return [];
  const found = items.filter((d) => d.found);
  const missing = items.filter((d) => !d.found);
  const lines: string[] = [];
  if (found.length > 0) lines.push(heading(c, 'Evidence found:'));
  for (const d of found) {
    const more = d.count > d.paths.length ? `, … ${d.count - d.paths.length} more` : '';
    lines.push(fit(`  ${oneLine(d.label)} (${num(d.count)}): ${d.paths.map(oneLine).join(', ')}${more}`, c.width));
  }
  if (missing.length > 0) lines.push(heading(c, 'Evidence not found:'));
  for (const d of missing) lines.push(fit(`  ${oneLine(d.label)}${d.note ? ` — ${oneLine(d.note)}` : ''}`, c.width));
  return lines;
}

function coverageLines(c: Ctx): string[] {
  if (c.report.coverage.length === 0) return [];
  const lines = [heading(c, 'Coverage:')];
  for (const cov of c.report.coverage) {
    const span = cov.from && cov.to ? `, ${minuteTime(cov.from)} .. ${minuteTime(cov.to)} UTC` : ', no times';
    const long = cov.gaps.filter((g) => (timeOf(g.to) ?? 0) - (timeOf(g.from) ?? 0) > DAY_MS).length;
    const gaps = long === 0 ? 'no gaps > 24h' : `${plural(long, 'gap')} > 24h`;
    lines.push(fit(`  ${oneLine(cov.source)}: ${plural(cov.files, 'file')}${span}, ${gaps}`, c.width));
  }
  return lines;
}

function label(c: Ctx, s: Severity): string {
  return c.paint(severityStyle(s), s.toUpperCase()) + ' '.repeat(9 - s.length);
}

function findingLines(c: Ctx): string[] {
  const s = c.summary;
  if (s.total === 0) return [heading(c, 'Findings: none')];
  const lines = [heading(c, `Findings (${num(s.total)}; ${num(s.atOrAbove)} at or above ${s.threshold}; times UTC):`)];
  const avail = c.width - 2 - 9;
  for (const g of s.groups) {
    // Posture findings (one per open CVE) are listed in the Posture block; here they get one line.
    const shown = g.findings.filter((f) => f.category !== 'posture');
    const posture = g.findings.length - shown.length;
    for (const f of shown.slice(0, c.maxPerGroup)) {
      lines.push(`  ${label(c, g.severity)}${squeeze(oneLine(f.title), location(f), sightings(f), avail)}`);
    }
    const rest = shown.length - c.maxPerGroup;
    if (rest > 0) lines.push(`  ${' '.repeat(9)}... and ${num(rest)} more ${g.severity}`);
    if (posture > 0) lines.push(`  ${label(c, g.severity)}${fit(`${plural(posture, 'posture finding')} (open CVEs, support): ${c.report.posture ? 'see Posture above' : 'see the targets above'}`, avail)}`);
  }
  return lines;
}

function topRuleLines(c: Ctx): string[] {
  if (c.summary.topRules.length === 0) return [];
  const lines = [heading(c, 'Top rules:')];
  for (const r of c.summary.topRules) {
    const text = `  ${num(r.findings).padStart(5)}× (${plural(r.hits, 'hit')}) ${oneLine(r.ruleId)} — ${oneLine(r.title)}`;
    lines.push(fit(text, c.width));
  }
  return lines;
}

/** One line per thing the run could not examine (errors with `notChecked`), each once. */
export function notCheckedLines(errors: Report['errors'], width: number): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of errors) {
    if (e.notChecked === undefined || seen.has(e.notChecked)) continue;
    seen.add(e.notChecked);
    lines.push(fit(`Not checked: ${oneLine(e.notChecked)} — ${oneLine(e.message)}`, width));
  }
  return lines;
}

function spanAndErrorLines(c: Ctx): string[] {
  const { span, errors } = c.summary;
  const lines = [fit(span ? `Evidence time span: ${shortTime(span.from)} .. ${shortTime(span.to)}` : 'Evidence time span: no times', c.width)];
  lines.push(...notCheckedLines(c.report.errors, c.width));
  if (errors === 0) return [...lines, 'Errors: none'];
  lines.push(heading(c, `Errors: ${num(errors)}`));
  for (const e of c.report.errors.slice(0, MAX_ERRORS_SHOWN)) {
    lines.push(fit(`  ${oneLine(e.path)}${e.line === null ? '' : `:${e.line}`}: ${oneLine(e.message)}`, c.width));
  }
  if (errors > MAX_ERRORS_SHOWN) lines.push(`  ... and ${num(errors - MAX_ERRORS_SHOWN)} more`);
  return lines;
}

function closingLines(c: Ctx, failOn: Severity | undefined): string[] {
  const { stats } = c.report;
  const s = c.summary;
  const skipped = stats.skippedRecords > 0 ? ` (${num(stats.skippedRecords)} skipped)` : '';
  const files = plural(stats.files, 'file');
  const took = seconds(stats.seconds);
  const lines = [
    fit(`Stats: ${files}, ${bytes(stats.bytes)}, ${plural(stats.records, 'record')}${skipped}, ${took}`, c.width),
    c.paint('1', fit(`${plural(s.total, 'finding')} (${num(s.atOrAbove)} at or above ${s.threshold}) on ${files}, ${took}`, c.width)),
  ];
  if (failOn === undefined) return lines;
  if (s.atOrAbove === 0 || s.worst === null) {
    return [...lines, c.paint('32', fit(`Exit 0: nothing at or above ${failOn}`, c.width))];
  }
  const w = s.worst;
  const head = `Exit 1: ${plural(s.atOrAbove, 'finding')} at or above ${failOn} (${oneLine(w.severity)}: `;
  const why = squeeze(oneLine(w.title), oneLine(w.evidence.path), '', c.width - head.length - 1, ' in ');
  return [...lines, c.paint('1;31', fit(`${head}${why})`, c.width))];
}

const MAX_STEP_ITEMS = 5;

function nextStepLines(c: Ctx): string[] {
  const steps = c.report.nextSteps ?? [];
  if (steps.length === 0) return [];
  const lines = [heading(c, 'Next steps:')];
  for (const step of steps) {
    lines.push(...wrapWords(oneLine(step.text), `  ${step.order}. `, c.width));
    if (step.items.length > 0) lines.push(...wrapList(step.items.slice(0, MAX_STEP_ITEMS).map(oneLine), '       ', c.width));
    if (step.items.length > MAX_STEP_ITEMS) lines.push(`       ... and ${num(step.items.length - MAX_STEP_ITEMS)} more`);
  }
  return lines;
}

/** The text report as lines (without line ends). */
export function renderText(report: Report, opts: WriteOptions = {}): string[] {
  const c: Ctx = {
    report,
    summary: summarize(report, { threshold: opts.failOn ?? 'medium' }),
    width: Math.max(40, opts.width ?? 100),
    paint: painter(opts.color === true),
    maxPerGroup: opts.maxPerGroup ?? 10,
  };
  const sections = [
    [...targetLines(c), ...postureLines(c)],
    discoveryLines(c),
    coverageLines(c),
    findingLines(c),
    scopeTextLines(report, c.width),
    topRuleLines(c),
    spanAndErrorLines(c),
    nextStepLines(c),
    closingLines(c, opts.failOn),
  ];
  return sections.filter((s) => s.length > 0).flatMap((s, i) => (i === 0 ? s : ['', ...s]));
}

export const textWriter: ReportWriter = {
  format: 'text',
  async write(report: Report, out: Writable, opts?: WriteOptions): Promise<void> {
    await writeLong(out, `${renderText(report, opts).join('\n')}\n`);
    await flushed(out);
  },
};
