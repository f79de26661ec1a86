/**
 * The sections of the HTML report: severity cards, posture, discovery, coverage, the findings
 * table and errors. Every value is interpolated through the auto-escaping `html` template;
 * a rule reference becomes a link only when it is an absolute http(s) URL (`httpUrl`).
 */
import { SEVERITIES, findingClass, type Finding, type FindingClass, type OpenCveEntry, type Report } from '../findings/types.js';
import { html, httpUrl, type SafeHtml } from './escape.js';
import type { Summary } from './summary.js';

const KNOWN_EVIDENCE = new Set(['kind', 'path', 'line', 'recordId', 'sha256', 'excerpt']);

function yesNo(v: boolean | null, yes: string, no: string): SafeHtml {
  if (v === null) return html`<span class="muted">unknown</span>`;
  return v ? html`<span class="yes">${yes}</span>` : html`<span class="no">${no}</span>`;
}

function list(items: readonly string[], empty = 'none'): SafeHtml {
  return items.length === 0 ? html`<span class="muted">${empty}</span>` : html`${items.join(', ')}`;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  return v === undefined ? '' : (JSON.stringify(v) ?? '');
}

/** A table with a header row; a header may carry a class (`['When', 'c-when']`). */
function table(headers: readonly (string | readonly [string, string])[], rows: readonly SafeHtml[], cls = ''): SafeHtml {
  const ths = headers.map((h) => (typeof h === 'string' ? html`<th>${h}</th>` : html`<th class="${h[1]}">${h[0]}</th>`));
  return html`<table${cls ? html` class="${cls}"` : null}><tr>${ths}</tr>\n${rows}</table>`;
}

/** One table row; each cell is escaped text or markup from `html`. */
function row(cells: readonly unknown[]): SafeHtml {
  return html`<tr>${cells.map((c) => html`<td>${c}</td>`)}</tr>\n`;
}

/** Findings of compromise by severity (exposure has its own section: never added to these). */
export function cards(s: Summary): SafeHtml {
  const n = (sev: string): number => s.groups.find((g) => g.severity === sev)?.findings.filter((f) => findingClass(f) === 'compromise').length ?? 0;
  return html`<section class="cards">${SEVERITIES.map(
    (sev) => html`<div class="card ${sev}"><div class="n">${n(sev)}</div><div>${sev} (compromise)</div></div>`,
  )}</section>`;
}

function cveRows(cves: readonly OpenCveEntry[]): SafeHtml {
  const rows = cves.map((c) => row([
    html`<span class="sev ${c.severity}">${c.severity}</span>`, c.id, typeof c.cvss === 'number' ? c.cvss.toFixed(1) : '—',
    c.exploited === true || c.kev === true ? html`<span class="no">exploited${c.kev === true ? ' (KEV)' : ''}</span>` : '',
    c.ifConfigured === true ? html`${c.title ?? ''} <span class="muted">(fixed only when configured)</span>` : (c.title ?? ''),
  ]));
  return table([['Severity', 'c-sev'], 'CVE', 'CVSS', 'In the wild', 'Title'], rows);
}

/** The exposure details: the build, support, what fixes it, and the open CVEs (exploited first). */
export function postureSection(report: Report, cves: readonly OpenCveEntry[] = []): SafeHtml {
  const p = report.posture;
  if (!p) return html``;
  const ranked = [...cves].sort((a, b) => Number(b.exploited === true || b.kev === true) - Number(a.exploited === true || a.kev === true)
    || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (b.cvss ?? 0) - (a.cvss ?? 0) || a.id.localeCompare(b.id));
  const cveTable = ranked.length > 0 ? html`<h3>Open CVEs (${ranked.length})</h3>${cveRows(ranked)}` : null;
  const kv = (k: string, v: unknown): SafeHtml => html`<tr><th>${k}</th><td>${v}</td></tr>\n`;
  const fix = p.fixedBy;
  const fixText = fix ? [fix.su, fix.build, fix.latestCu ? `latest ${fix.latestCu}` : null].filter((x) => x).join(' · ') : '';
  const from = p.buildSource ? html` <span class="muted">from ${p.buildSource}</span>` : null;
  return html`<section><h2>Exposure</h2><table class="kv">
${kv('Product', [p.product, p.cu, p.su].filter((x) => x).join(' ') || 'unknown')}${kv('Build', html`<code>${p.build ?? 'unknown'}</code>${from}`)}${
    kv('Supported', yesNo(p.supported, 'yes', 'no — out of support'))}${kv(`Open CVEs (${p.openCves.length})`, list(p.openCves))}${
    p.openCvesIfConfigured.length > 0 ? kv('Open if configured', list(p.openCvesIfConfigured)) : null}${
    kv('Fixed by', fixText || html`<span class="muted">n/a</span>`)}</table>${cveTable}</section>`;
}

function discoveryTable(report: Report): SafeHtml | null {
  const items = report.discovery ?? [];
  if (items.length === 0) return null;
  const rows = items.map((d) => {
    const paths = html`<ul class="plain">${d.paths.map((p) => html`<li><code>${p}</code></li>`)}</ul>`;
    const more = d.count > d.paths.length && d.paths.length > 0 ? html`<span class="muted">… ${d.count - d.paths.length} more</span>` : null;
    const note = d.note ? html`<div class="muted">${d.note}</div>` : null;
    return row([d.label, yesNo(d.found, 'found', 'not found'), d.count, html`${paths}${more}${note}`]);
  });
  return table(['Source', 'Found', 'Count', 'Where'], rows);
}

function coverageTable(report: Report): SafeHtml | null {
  if (report.coverage.length === 0) return null;
  const rows = report.coverage.map((c) => {
    const gaps = c.gaps.length === 0 ? 'none' : html`<ul class="plain">${c.gaps.map((g) => html`<li>${g.from} .. ${g.to}</li>`)}</ul>`;
    return row([c.source, c.files, c.from ?? '—', c.to ?? '—', gaps]);
  });
  return html`<h3>Time covered by the logs</h3>${table(['Source', 'Files', 'From', 'To', 'Gaps'], rows)}`;
}

export function evidenceSection(report: Report): SafeHtml {
  const discovery = discoveryTable(report);
  const coverage = coverageTable(report);
  if (!discovery && !coverage) return html``;
  return html`<section><h2>Evidence examined</h2>${discovery}${coverage}</section>`;
}

function ref(r: string): SafeHtml {
  const url = httpUrl(r);
  return url === null ? html`<li>${r}</li>` : html`<li><a href="${url}" rel="noopener noreferrer">${url}</a></li>`;
}

/** `2021-03-03 01:02:03Z` for a valid ISO time (easier to read in a narrow column). */
function readable(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z');
}

function when(f: Finding): SafeHtml {
  const first = f.firstSeen ?? f.time;
  const last = f.lastSeen ?? f.time;
  const count = f.count > 1 ? html`<div class="muted">${f.count}×</div>` : null;
  if (first === null) return html`<span class="muted">no time</span>${count}`;
  return last && last !== first ? html`${readable(first)}<br>.. ${readable(last)}${count}` : html`${readable(first)}${count}`;
}

function evidenceCell(f: Finding): SafeHtml {
  const e = f.evidence;
  const line = typeof e.line === 'number' ? `:${e.line}` : '';
  const record = typeof e.recordId === 'number' ? ` #${e.recordId}` : '';
  const extra = Object.entries(e).filter(([k]) => !KNOWN_EVIDENCE.has(k));
  return html`<div>${e.kind}: <code>${e.path}${line}${record}</code></div>${
    e.sha256 ? html`<div>sha256 <code>${e.sha256}</code></div>` : null}${
    typeof e.excerpt === 'string' && e.excerpt !== '' ? html`<pre>${e.excerpt}</pre>` : null}${
    extra.length > 0 ? html`<ul class="plain">${extra.map(([k, v]) => html`<li>${k}: <code>${text(v)}</code></li>`)}</ul>` : null}`;
}

function findingRow(f: Finding): SafeHtml {
  const ids = [...f.cves, ...f.attack];
  const what = html`<strong>${f.title}</strong><div class="muted">${f.category} · confidence ${f.confidence}</div>${
    ids.length > 0 ? html`<div>${ids.join(' ')}</div>` : null}<div><code>${f.ruleId}</code></div>`;
  const refs = f.rule.refs.length > 0 ? html`<ul class="plain">${f.rule.refs.map(ref)}</ul>` : null;
  const rule = html`${f.rule.source}<div class="muted">${f.rule.author} · ${f.rule.license}</div>${refs}`;
  return row([html`<span class="sev ${f.severity}">${f.severity}</span>`, when(f), what, evidenceCell(f), rule]);
}

const CLASS_TITLE: Readonly<Record<FindingClass, string>> = {
  compromise: 'Evidence of compromise',
  exposure: 'Exposure and configuration findings',
};

/** The findings of one class, most severe first. */
export function findingsSection(s: Summary, cls: FindingClass = 'compromise'): SafeHtml {
  const title = CLASS_TITLE[cls];
  const rows = s.groups.flatMap((g) => g.findings.filter((f) => findingClass(f) === cls).map(findingRow));
  if (rows.length === 0) return html`<section><h2>${title}</h2><p>None.</p></section>`;
  const headers = [['Severity', 'c-sev'], ['When (UTC)', 'c-when'], ['Finding', 'c-finding'], 'Evidence', ['Rule', 'c-rule']] as const;
  return html`<section><h2>${title} (${rows.length})</h2>${table(headers, rows, 'findings')}</section>`;
}

export function errorsSection(report: Report): SafeHtml {
  if (report.errors.length === 0) return html``;
  const unchecked = [...new Set(report.errors.flatMap((e) => (e.notChecked === undefined ? [] : [e.notChecked])))];
  const notChecked = unchecked.length > 0 ? html`<p><strong>Not checked:</strong></p><ul>${unchecked.map((w) => html`<li>${w}</li>`)}</ul>` : html``;
  const rows = report.errors.map((e) => row([e.code ?? '', html`<code>${e.path}</code>`, e.line ?? '', e.message]));
  return html`<section><h2>Errors (${report.errors.length})</h2>${notChecked}${table(['Code', 'Path', 'Line', 'Message'], rows)}</section>`;
}
