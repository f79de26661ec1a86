/**
 * The sections of the HTML report: severity cards, posture, discovery, coverage, the findings
 * table and errors. Every value is interpolated through the auto-escaping `html` template;
 * a rule reference becomes a link only when it is an absolute http(s) URL (`httpUrl`).
 */
import { SEVERITIES, type Finding, type Report } from '../findings/types.js';
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

export function cards(s: Summary): SafeHtml {
  return html`<section class="cards">${SEVERITIES.map(
    (sev) => html`<div class="card ${sev}"><div class="n">${s.bySeverity[sev]}</div><div>${sev}</div></div>`,
  )}</section>`;
}

export function postureSection(report: Report): SafeHtml {
  const p = report.posture;
  if (!p) return html``;
  const fix = p.fixedBy;
  const fixText = fix ? [fix.su, fix.build, fix.latestCu ? `latest ${fix.latestCu}` : null].filter((x) => x).join(' · ') : '';
  return html`<section><h2>Exposure</h2><table class="kv">
<tr><th>Product</th><td>${[p.product, p.cu, p.su].filter((x) => x).join(' ') || 'unknown'}</td></tr>
<tr><th>Build</th><td><code>${p.build ?? 'unknown'}</code>${p.buildSource ? html` <span class="muted">from ${p.buildSource}</span>` : null}</td></tr>
<tr><th>Supported</th><td>${yesNo(p.supported, 'yes', 'no — out of support')}</td></tr>
<tr><th>Open CVEs (${p.openCves.length})</th><td>${list(p.openCves)}</td></tr>
${p.openCvesIfConfigured.length > 0 ? html`<tr><th>Open if configured</th><td>${list(p.openCvesIfConfigured)}</td></tr>` : null}
<tr><th>Fixed by</th><td>${fixText || html`<span class="muted">n/a</span>`}</td></tr>
</table></section>`;
}

export function evidenceSection(report: Report): SafeHtml {
  const items = report.discovery ?? [];
  const discovery = items.length === 0 ? null : html`<table><tr><th>Source</th><th>Found</th><th>Count</th><th>Where</th></tr>${items.map(
    (d) => html`<tr><td>${d.label}</td><td>${yesNo(d.found, 'found', 'not found')}</td><td>${d.count}</td><td><ul class="plain">${d.paths.map(
      (p) => html`<li><code>${p}</code></li>`,
    )}</ul>${d.count > d.paths.length && d.paths.length > 0 ? html`<span class="muted">… ${d.count - d.paths.length} more</span>` : null}${
      d.note ? html`<div class="muted">${d.note}</div>` : null}</td></tr>`,
  )}</table>`;
  const coverage = report.coverage.length === 0 ? null : html`<h3>Time covered by the logs</h3><table><tr><th>Source</th><th>Files</th><th>From</th><th>To</th><th>Gaps</th></tr>${report.coverage.map(
    (c) => html`<tr><td>${c.source}</td><td>${c.files}</td><td>${c.from ?? '—'}</td><td>${c.to ?? '—'}</td><td>${c.gaps.length === 0 ? 'none' : html`<ul class="plain">${c.gaps.map(
      (g) => html`<li>${g.from} .. ${g.to}</li>`,
    )}</ul>`}</td></tr>`,
  )}</table>`;
  if (!discovery && !coverage) return html``;
  return html`<section><h2>Evidence examined</h2>${discovery}${coverage}</section>`;
}

function ref(r: string): SafeHtml {
  const url = httpUrl(r);
  return url === null ? html`<li>${r}</li>` : html`<li><a href="${url}" rel="noopener noreferrer">${url}</a></li>`;
}

function when(f: Finding): SafeHtml {
  const first = f.firstSeen ?? f.time;
  const last = f.lastSeen ?? f.time;
  if (first === null) return html`<span class="muted">no time</span>`;
  return last && last !== first ? html`${first}<br>.. ${last}` : html`${first}`;
}

function evidenceCell(f: Finding): SafeHtml {
  const e = f.evidence;
  const where = `${e.path}${typeof e.line === 'number' ? `:${e.line}` : ''}${typeof e.recordId === 'number' ? ` #${e.recordId}` : ''}`;
  const extra = Object.entries(e).filter(([k]) => !KNOWN_EVIDENCE.has(k));
  return html`<div>${e.kind}: <code>${where}</code></div>${e.sha256 ? html`<div>sha256 <code>${e.sha256}</code></div>` : null}${
    typeof e.excerpt === 'string' && e.excerpt !== '' ? html`<pre>${e.excerpt}</pre>` : null}${
    extra.length > 0 ? html`<ul class="plain">${extra.map(([k, v]) => html`<li>${k}: <code>${text(v)}</code></li>`)}</ul>` : null}`;
}

function findingRow(f: Finding): SafeHtml {
  const ids = [...f.cves, ...f.attack];
  return html`<tr><td><span class="sev ${f.severity}">${f.severity}</span></td><td>${when(f)}${f.count > 1 ? html`<div class="muted">${f.count}×</div>` : null}</td>
<td><strong>${f.title}</strong><div class="muted">${f.category} · confidence ${f.confidence}</div>${ids.length > 0 ? html`<div>${ids.join(' ')}</div>` : null}<div><code>${f.ruleId}</code></div></td>
<td>${evidenceCell(f)}</td>
<td>${f.rule.source}<div class="muted">${f.rule.author} · ${f.rule.license}</div>${f.rule.refs.length > 0 ? html`<ul class="plain">${f.rule.refs.map(ref)}</ul>` : null}</td></tr>`;
}

export function findingsSection(s: Summary): SafeHtml {
  if (s.total === 0) return html`<section><h2>Findings</h2><p>No findings.</p></section>`;
  const rows = s.groups.flatMap((g) => g.findings.map(findingRow));
  return html`<section><h2>Findings (${s.total})</h2><table><tr><th>Severity</th><th>When (UTC)</th><th>Finding</th><th>Evidence</th><th>Rule</th></tr>
${rows}</table></section>`;
}

export function errorsSection(report: Report): SafeHtml {
  if (report.errors.length === 0) return html``;
  return html`<section><h2>Errors (${report.errors.length})</h2><table><tr><th>Path</th><th>Line</th><th>Message</th></tr>${report.errors.map(
    (e) => html`<tr><td><code>${e.path}</code></td><td>${e.line ?? ''}</td><td>${e.message}</td></tr>`,
  )}</table></section>`;
}
