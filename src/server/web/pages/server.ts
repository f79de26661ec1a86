/**
 * Server page (`/servers/:id`): posture with the update to install, log coverage windows and
 * gaps, the server's findings with their evidence (paginated), and its report history.
 */
import type { Finding, Report } from '../../../findings/types.js';
import type { Page, ReportSummary, ServerSummary, StoredFinding } from '../../store/types.js';
import { coverageTable, evidenceBlock, postureBlock } from '../evidence.js';
import { plural, severityBadge, statusBadge, timeEl } from '../format.js';
import { html, link, type SafeHtml } from '../html.js';
import { page, type Viewer } from '../layout.js';
import { pager } from '../paging.js';

export interface ServerView {
  readonly viewer: Viewer;
  readonly server: ServerSummary;
  /** The newest report's body (posture, coverage, evidence), null when none. */
  readonly newest: Report | null;
  readonly findings: Page<StoredFinding>;
  readonly findingsPage: { readonly limit: number; readonly offset: number };
  readonly reports: Page<ReportSummary>;
  readonly reportsPage: { readonly limit: number; readonly offset: number };
}

function findingRow(f: StoredFinding, reported: ReadonlyMap<string, Finding>): SafeHtml {
  const r = reported.get(f.findingId);
  return html`<tr>
<td>${severityBadge(f.severity)}</td>
<td>${link(`/findings/${encodeURIComponent(f.id)}`, f.title)}<br><span class="muted">${f.ruleId} · ${f.category}</span></td>
<td>${statusBadge(f.status)}${f.assignee ? html`<br><span class="muted">${f.assignee}</span>` : null}</td>
<td>${timeEl(f.firstSeen)}<br>${timeEl(f.lastSeen)}</td>
<td>${r ? evidenceBlock(r.evidence) : html`<span class="muted">not in the newest report: see the finding</span>`}</td>
</tr>`;
}

function reportRow(r: ReportSummary): SafeHtml {
  return html`<tr><td>${timeEl(r.receivedAt)}</td><td>${r.source}</td><td>${r.asOf}</td><td>${r.toolVersion}</td><td class="num">${r.findings}</td><td>${severityBadge(r.maxSeverity)}</td><td class="num">${r.bytes.toLocaleString('en-US')}</td><td>${link(`/api/v1/reports/${encodeURIComponent(r.id)}`, 'JSON')} <code class="hash" title="${r.sha256}">${r.sha256.slice(0, 12)}</code></td></tr>`;
}

function summaryLine(s: ServerSummary): SafeHtml {
  return html`<p class="meta">${plural(s.openCves, 'open CVE')} (${s.openExploitedCves} exploited) · compromise ${severityBadge(s.maxSeverity)} · ${plural(s.untriaged, 'untriaged finding')} of ${s.findings} · ${plural(s.reports, 'report')}, last ${timeEl(s.lastReportAt)}${s.lastSource ? html` (${s.lastSource})` : null}</p>`;
}

export function renderServer(v: ServerView): string {
  const s = v.server;
  const base = `/servers/${encodeURIComponent(s.id)}`;
  const reported = new Map((v.newest?.findings ?? []).map((f) => [f.id, f] as const));
  const frows = v.findings.items.map((f) => findingRow(f, reported));
  const body = html`${summaryLine(s)}
<section><h2>Posture</h2>${postureBlock(v.newest?.posture ?? null)}</section>
<section><h2>Log coverage</h2>${coverageTable(v.newest?.coverage ?? [])}</section>
<section><h2>Findings</h2>
<p>${link(`/findings?serverId=${encodeURIComponent(s.id)}`, 'Triage these findings')}</p>
<table class="list findings"><thead><tr><th scope="col">Severity</th><th scope="col">Finding</th><th scope="col">Status</th><th scope="col">First / last seen</th><th scope="col">Evidence</th></tr></thead>
<tbody>${frows.length > 0 ? frows : html`<tr><td colspan="5" class="muted">No findings.</td></tr>`}</tbody></table>
${pager({ path: base, params: { rlimit: v.reportsPage.limit === 20 ? undefined : v.reportsPage.limit, roffset: v.reportsPage.offset || undefined }, total: v.findings.total, ...v.findingsPage })}
</section>
<section><h2>Report history</h2>
<table class="list reports"><thead><tr><th scope="col">Received</th><th scope="col">Source</th><th scope="col">As of</th><th scope="col">Tool</th><th scope="col">Findings</th><th scope="col">Worst</th><th scope="col">Bytes</th><th scope="col">Body</th></tr></thead>
<tbody>${v.reports.items.map(reportRow)}</tbody></table>
${reportsPager(base, v)}
</section>`;
  return page({ title: `Server ${s.name}`, viewer: v.viewer, current: '/', body });
}

/** The report history pages with its own parameters (`rlimit`, `roffset`). */
function reportsPager(base: string, v: ServerView): SafeHtml {
  const { limit, offset } = v.reportsPage;
  const total = v.reports.total;
  if (total <= limit && offset === 0) return html`<p class="pager">${plural(total, 'report')}</p>`;
  const at = (o: number): string => `${base}?roffset=${o}&rlimit=${limit}&offset=${v.findingsPage.offset}&limit=${v.findingsPage.limit}`;
  return html`<p class="pager">${offset + 1}–${Math.min(offset + limit, total)} of ${total} ${offset > 0 ? link(at(Math.max(0, offset - limit)), '‹ newer') : null} ${offset + limit < total ? link(at(offset + limit), 'older ›') : null}</p>`;
}
