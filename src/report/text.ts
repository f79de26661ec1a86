/**
 * The text report: a short summary a responder reads in a terminal. It opens with the verdict
 * (compromised? exposed? what was not covered) and what to do now; then target posture, what
 * evidence was found, coverage, the findings of compromise and of exposure apart, top rules,
 * time span, errors, stats and a closing line (plus, with --fail-on, why the run exits 0 or 1).
 * Evidence strings are made single-line and stripped of escape sequences; colour only when
 * asked; lines fit the width by wrapping words and shortening paths in the middle, never by
 * cutting a title.
 */
import type { Writable } from 'node:stream';
import { findingClass, type Finding, type FindingClass, type Report, type Severity, type Verdict } from '../findings/types.js';
import type { ReportWriter, WriteOptions } from './types.js';
import { oneLine } from './escape.js';
import { flushed, writeLong } from './stream.js';
import { summarize, timeOf, type Summary } from './summary.js';
import { scopeTextLines } from './scope-text.js';
import {
  bytes, fit, fitMiddle, location, minuteTime, num, painter, plural, seconds, severityStyle, shortTime, sightings, wrapList, wrapPaths, wrapWords,
  type Painter,
} from './text-format.js';
import { computeVerdict } from '../verdict/compute.js';
import { directiveLines, stepLines, verdictLines } from './verdict-text.js';

interface Ctx {
  readonly report: Report;
  readonly summary: Summary;
  readonly verdict: Verdict;
  readonly width: number;
  readonly paint: Painter;
  readonly maxPerGroup: number;
}

const DAY_MS = 24 * 3600 * 1000;
const MAX_ERRORS_SHOWN = 3;

function heading(c: Ctx, s: string): string {
  return wrapWords(s, '', c.width).map((l) => c.paint('1', l)).join('\n');
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
  const lines = wrapWords(oneLine(`Posture: ${release}${su} — build ${p.build ?? 'unknown'}${from}, ${support}`), '', c.width);
  if (p.openCves.length === 0) lines.push('  no open CVEs');
  else lines.push(...wrapList(p.openCves.map(oneLine), `  ${plural(p.openCves.length, 'open CVE')}: `, c.width));
  if (p.openCvesIfConfigured.length > 0) {
    lines.push(...wrapList(p.openCvesIfConfigured.map(oneLine), '  open if configured: ', c.width));
  }
  const fix = p.fixedBy;
  if (fix) {
    const parts = [fix.su ? `${fix.su}${fix.build ? ` (${fix.build})` : ''}` : fix.build, fix.latestCu ? `latest ${fix.latestCu}` : null];
    const text = parts.filter((x) => x).join('; ');
    if (text) lines.push(...wrapWords(oneLine(text), '  fixed by: ', c.width));
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
    const one = `  ${oneLine(d.label)} (${num(d.count)}): ${d.paths.map(oneLine).join(', ')}${more}`;
    if ([...one].length <= c.width) lines.push(one);
    else lines.push(`  ${oneLine(d.label)} (${num(d.count)}):`, ...wrapPaths([...d.paths.map(oneLine), ...(more ? [more.slice(2)] : [])], '    ', c.width));
  }
  if (missing.length > 0) lines.push(heading(c, 'Evidence not found:'));
  for (const d of missing) lines.push(...wrapWords(`${oneLine(d.label)}${d.note ? ` — ${oneLine(d.note)}` : ''}`, '  ', c.width));
  return lines;
}

function coverageLines(c: Ctx): string[] {
  if (c.report.coverage.length === 0) return [];
  const lines = [heading(c, 'Coverage:')];
  for (const cov of c.report.coverage) {
    const span = cov.from && cov.to ? `, ${minuteTime(cov.from)} .. ${minuteTime(cov.to)} UTC` : ', no times';
    const long = cov.gaps.filter((g) => (timeOf(g.to) ?? 0) - (timeOf(g.from) ?? 0) > DAY_MS).length;
    const gaps = long === 0 ? 'no gaps > 24h' : `${plural(long, 'gap')} > 24h`;
    lines.push(...wrapWords(`${oneLine(cov.source)}: ${plural(cov.files, 'file')}${span}, ${gaps}`, '  ', c.width));
  }
  return lines;
}

function label(c: Ctx, s: Severity): string {
  return c.paint(severityStyle(s), s.toUpperCase()) + ' '.repeat(9 - s.length);
}

const INDENT = ' '.repeat(11);

/** One finding: `title — where (sightings)` on one line when it fits, else the title wrapped and the place below it. */
function oneFinding(c: Ctx, f: Finding, severity: Severity): string[] {
  const title = oneLine(f.title);
  const where = location(f);
  const seen = sightings(f);
  const one = `${title} — ${where} ${seen}`;
  const lead = `  ${label(c, severity)}`;
  if (11 + [...one].length <= c.width) return [`${lead}${one}`];
  const titleLines = wrapWords(title, INDENT, c.width);
  const room = c.width - 11 - [...seen].length - 1;
  const place = room >= 8 ? `${fitMiddle(where, room)} ${seen}` : fitMiddle(`${where} ${seen}`, c.width - 11);
  return [`${lead}${(titleLines[0] ?? '').slice(11)}`, ...titleLines.slice(1), `${INDENT}${place}`];
}

const CLASS_HEADING: Readonly<Record<FindingClass, string>> = {
  compromise: 'Evidence of compromise',
  exposure: 'Exposure and configuration',
};

function classLines(c: Ctx, cls: FindingClass): string[] {
  const s = c.summary;
  const count = s.byClass[cls];
  if (count.total === 0) return [heading(c, `${CLASS_HEADING[cls]}: none`)];
  const lines = [heading(c, `${CLASS_HEADING[cls]} (${num(count.total)}; ${num(count.atOrAbove)} at or above ${s.threshold}; times UTC):`)];
  for (const g of s.groups) {
    const shown = g.findings.filter((f) => findingClass(f) === cls);
    for (const f of shown.slice(0, c.maxPerGroup)) lines.push(...oneFinding(c, f, g.severity));
    const rest = shown.length - c.maxPerGroup;
    if (rest > 0) lines.push(`  ${' '.repeat(9)}... and ${num(rest)} more ${g.severity}`);
  }
  return lines;
}

function findingLines(c: Ctx): string[] {
  if (c.summary.total === 0) return [heading(c, 'Findings: none')];
  return [...classLines(c, 'compromise'), '', ...classLines(c, 'exposure')];
}

function topRuleLines(c: Ctx): string[] {
  if (c.summary.topRules.length === 0) return [];
  const lines = [heading(c, 'Top rules:')];
  for (const r of c.summary.topRules) {
    lines.push(...wrapWords(`${oneLine(r.ruleId)} — ${oneLine(r.title)}`, `  ${num(r.findings).padStart(5)}× (${plural(r.hits, 'hit')}) `, c.width));
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
    lines.push(...wrapWords(`Not checked: ${oneLine(e.notChecked)} — ${oneLine(e.message)}`, '', width));
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
    lines.push(...wrapWords(`${oneLine(e.path)}${e.line === null ? '' : `:${e.line}`}: ${oneLine(e.message)}`, '  ', c.width));
  }
  if (errors > MAX_ERRORS_SHOWN) lines.push(`  ... and ${num(errors - MAX_ERRORS_SHOWN)} more`);
  return lines;
}

/** `14 findings, 11 at or above medium`: the count of one class. */
function classCount(c: Ctx, cls: FindingClass): string {
  const k = c.summary.byClass[cls];
  return `${plural(k.total, 'finding')}, ${num(k.atOrAbove)} at or above ${c.summary.threshold}`;
}

function exitLines(c: Ctx, failOn: Severity): string[] {
  const { compromise, exposure } = c.summary.byClass;
  const worst = compromise.worst ?? exposure.worst;
  if (worst === null) return wrapWords(`Exit 0: nothing at or above ${failOn}, of compromise or of exposure`, '', c.width).map((l) => c.paint('32', l));
  const text = compromise.worst !== null
    ? `Exit 1: ${plural(compromise.atOrAbove, 'finding')} of compromise at or above ${failOn} (${oneLine(worst.severity)}: ${oneLine(worst.title)} in ${fitMiddle(oneLine(worst.evidence.path), 48)})${exposure.atOrAbove > 0 ? `; exposure too (${plural(exposure.atOrAbove, 'finding')})` : ''}`
    : `Exit 1: ${plural(exposure.atOrAbove, 'finding')} of exposure at or above ${failOn} (${oneLine(worst.severity)}), no compromise finding at or above it`;
  return wrapWords(text, '', c.width).map((l) => c.paint('1;31', l));
}

function closingLines(c: Ctx, failOn: Severity | undefined): string[] {
  const { stats } = c.report;
  const skipped = stats.skippedRecords > 0 ? ` (${num(stats.skippedRecords)} skipped)` : '';
  const files = plural(stats.files, 'file');
  const took = seconds(stats.seconds);
  const v = c.verdict;
  const open = v.openCves.filter((x) => x.ifConfigured !== true).length;
  const compromise = `${plural(v.compromiseFindings, 'finding')} of compromise, ${num(v.suspiciousFindings)} suspicious`;
  const counts = `Compromise: ${compromise} (${classCount(c, 'compromise')}); exposure: ${plural(open, 'open CVE')} (${classCount(c, 'exposure')}); on ${files}, ${took}`;
  const lines = [
    ...wrapWords(`Stats: ${files}, ${bytes(stats.bytes)}, ${plural(stats.records, 'record')}${skipped}, ${took}`, '', c.width),
    ...wrapWords(counts, '', c.width).map((l) => c.paint('1', l)),
  ];
  return failOn === undefined ? lines : [...lines, ...exitLines(c, failOn)];
}

/** Why the run exits 0 or 1 (compromise and exposure apart), for views that print their own body. */
export function exitSummaryLines(report: Report, failOn: Severity, width = 100): string[] {
  return exitLines(context(report, { failOn, width }), failOn);
}

function context(report: Report, opts: WriteOptions): Ctx {
  return {
    report,
    summary: summarize(report, { threshold: opts.failOn ?? 'medium' }),
    verdict: report.verdict ?? computeVerdict(report),
    width: Math.max(40, opts.width ?? 100),
    paint: painter(opts.color === true),
    maxPerGroup: opts.maxPerGroup ?? 10,
  };
}

/** The text report as lines (without line ends). */
export function renderText(report: Report, opts: WriteOptions = {}): string[] {
  const c = context(report, opts);
  const sections = [
    [...targetLines(c), ...verdictLines(c.verdict, c.width, c.paint), ...directiveLines(report.posture, c.width)],
    stepLines(c.verdict, c.width, (s) => heading(c, s)),
    postureLines(c),
    discoveryLines(c),
    coverageLines(c),
    findingLines(c),
    scopeTextLines(report, c.width),
    topRuleLines(c),
    spanAndErrorLines(c),
    closingLines(c, opts.failOn),
  ];
  return sections.filter((s) => s.length > 0).flatMap((s, i) => (i === 0 ? s : ['', ...s])).flatMap((l) => l.split('\n'));
}

export const textWriter: ReportWriter = {
  format: 'text',
  async write(report: Report, out: Writable, opts?: WriteOptions): Promise<void> {
    await writeLong(out, `${renderText(report, opts).join('\n')}\n`);
    await flushed(out);
  },
};
