/**
 * Compliance (`/compliance`): one directive (build directives from the knowledge base, hunt
 * directives from content/fleet) judged per server, with the counts, the deadline countdown
 * and links to the CSV/JSON export of the API. Statuses come from api/compliance-eval.ts, the
 * same evaluation the export uses.
 */
import type { ComplianceStatus, ServerCompliance } from '../../api/compliance-eval.js';
import type { DirectiveInfo } from '../../api/directives.js';
import { countdown, daysUntil, plural } from '../format.js';
import { html, link, linkOrText, withQuery, type SafeHtml } from '../html.js';
import { page, type Viewer } from '../layout.js';
import { pager } from '../paging.js';

export interface ComplianceView {
  readonly viewer: Viewer;
  readonly directives: readonly DirectiveInfo[];
  readonly directive: DirectiveInfo | null;
  readonly asOf: string;
  readonly counts: { readonly compliant: number; readonly notCompliant: number; readonly unknown: number };
  /** The servers of this page only. */
  readonly rows: readonly ServerCompliance[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

const STATUS_TEXT: Readonly<Record<ComplianceStatus, string>> = { compliant: 'compliant', not_compliant: 'not compliant', unknown: 'unknown' };

function picker(v: ComplianceView): SafeHtml {
  const opts = v.directives.map((d) => html`<option value="${d.id}"${v.directive?.id === d.id ? html` selected` : null}>${d.id} — ${d.name}</option>`);
  return html`<form method="get" action="/compliance" class="filters"><label>Directive <select name="directive">${opts}</select></label> <button type="submit">Show</button></form>`;
}

function head(v: ComplianceView, d: DirectiveInfo): SafeHtml {
  const due = d.deadline !== null
    ? html`Deadline <strong>${d.deadline}</strong> · judged at ${v.asOf} · ${countdown(daysUntil(v.asOf, d.deadline))}`
    : html`A hunt must be reported at least every <strong>${plural(d.maxAgeDays ?? 0, 'day')}</strong> · judged at ${v.asOf}`;
  const c = v.counts;
  return html`<section class="directive"><h2>${d.name} <span class="muted">(${d.id})</span></h2>
${d.summary !== null ? html`<p>${d.summary}</p>` : null}
<p>${due} · source: ${linkOrText(d.source)}</p>
<section class="cards" aria-label="Compliance counts"><div class="card card-good"><span class="n">${c.compliant}</span><span class="l">compliant</span></div><div class="card card-bad"><span class="n">${c.notCompliant}</span><span class="l">not compliant</span></div><div class="card card-warn"><span class="n">${c.unknown}</span><span class="l">unknown</span></div></section>
<p class="export">Export the status to report: ${link(withQuery('/api/v1/compliance', { directive: d.id, format: 'csv' }), 'CSV')} · ${link(withQuery('/api/v1/compliance', { directive: d.id }), 'JSON')}</p></section>`;
}

/** One server; `perServer` adds its own countdown (hunt directives: each server's clock differs). */
function rowHtml(r: ServerCompliance, perServer: boolean): SafeHtml {
  const left = perServer ? html`<td>${r.daysLeft === null ? '—' : countdown(r.daysLeft)}</td>` : null;
  return html`<tr><td>${link(`/servers/${encodeURIComponent(r.serverId)}`, r.server)}</td><td><code>${r.build ?? 'unknown'}</code></td><td><span class="badge cs-${r.status}">${STATUS_TEXT[r.status]}</span></td>${left}<td>${r.reason}</td></tr>`;
}

export function renderCompliance(v: ComplianceView): string {
  const d = v.directive;
  const perServer = d?.kind === 'hunt-reported' && d.deadline === null;
  const body = d === null
    ? html`${picker(v)}<p class="muted">No directive is defined.</p>`
    : html`${picker(v)}
${head(v, d)}
<table class="list compliance"><thead><tr><th scope="col">Server</th><th scope="col">Build</th><th scope="col">Status</th>${perServer ? html`<th scope="col">Time left</th>` : null}<th scope="col">Why</th></tr></thead>
<tbody>${v.rows.length > 0 ? v.rows.map((r) => rowHtml(r, perServer)) : html`<tr><td colspan="5" class="muted">No servers.</td></tr>`}</tbody></table>
${pager({ path: '/compliance', params: { directive: d.id }, total: v.total, limit: v.limit, offset: v.offset })}`;
  return page({ title: 'Compliance', viewer: v.viewer, current: '/compliance', body });
}
