/**
 * Fleet overview (`/`): totals, the posture and trend charts, and one row per server with
 * server-side sorting, filters and pagination.
 */
import { SEVERITIES, type Severity } from '../../../findings/types.js';
import type { FleetTotals, FleetTrendPoint, Page, ServerSortKey, ServerSummary } from '../../store/types.js';
import { barChart, postureBars, trendChart } from '../charts.js';
import { severityBadge, timeEl } from '../format.js';
import { html, link, type SafeHtml } from '../html.js';
import { page, type Notice, type Viewer } from '../layout.js';
import { pager, sortHeader, type Params } from '../paging.js';

export const SERVER_SORT_KEYS: readonly ServerSortKey[] = ['name', 'build', 'openCves', 'openExploitedCves', 'maxSeverity', 'untriaged', 'lastReportAt'];

export interface OverviewFilters {
  readonly search?: string;
  readonly minSeverity?: Severity;
  readonly exposedOnly: boolean;
  readonly sort: ServerSortKey;
  readonly desc: boolean;
  readonly limit: number;
  readonly offset: number;
}

export interface OverviewView {
  readonly viewer: Viewer;
  readonly filters: OverviewFilters;
  readonly servers: Page<ServerSummary>;
  readonly totals: FleetTotals;
  readonly trend: readonly FleetTrendPoint[];
  readonly notice?: Notice | null;
}

function filterParams(f: OverviewFilters): Params {
  return { search: f.search, minSeverity: f.minSeverity, exposed: f.exposedOnly ? 1 : undefined };
}

function totalsCards(t: FleetTotals): SafeHtml {
  const card = (label: string, n: number, cls: string): SafeHtml => html`<div class="card${cls !== '' ? ` card-${cls}` : ''}"><span class="n">${n.toLocaleString('en-US')}</span><span class="l">${label}</span></div>`;
  return html`<section class="cards" aria-label="Totals">
${card('servers', t.servers, '')}${card('exposed', t.exposed, t.exposed > 0 ? 'warn' : 'good')}${card('exploited CVEs open', t.exploitedExposed, t.exploitedExposed > 0 ? 'bad' : 'good')}${card('compromised', t.compromised, t.compromised > 0 ? 'bad' : 'good')}${card('untriaged findings', t.untriaged, t.untriaged > 0 ? 'warn' : 'good')}${card('unsupported', t.unsupported, t.unsupported > 0 ? 'warn' : 'good')}
</section>
<p class="sevline">Findings by severity: ${SEVERITIES.map((s) => html`${severityBadge(s)} ${t.findingsBySeverity[s]} `)}</p>`;
}

function filterForm(f: OverviewFilters): SafeHtml {
  const opts = SEVERITIES.map((s) => html`<option value="${s}"${f.minSeverity === s ? html` selected` : null}>${s}+</option>`);
  return html`<form method="get" action="/" class="filters">
<label>Search <input type="search" name="search" value="${f.search ?? ''}" maxlength="200" placeholder="name, build, product"></label>
<label>Compromise at least <select name="minSeverity"><option value="">any</option>${opts}</select></label>
<label><input type="checkbox" name="exposed" value="1"${f.exposedOnly ? html` checked` : null}> exposed only</label>
<input type="hidden" name="sort" value="${f.sort}">${f.desc ? html`<input type="hidden" name="desc" value="1">` : null}
<button type="submit">Filter</button> ${link('/', 'reset')}
</form>`;
}

function serverRow(s: ServerSummary): SafeHtml {
  const exposure = s.openCves > 0 ? html`<span class="${s.openExploitedCves > 0 ? 'bad' : 'warn'}">${s.openCves} / ${s.openExploitedCves}</span>` : html`<span class="good">0 / 0</span>`;
  const support = s.supported === false ? html` <span class="badge unsupported">unsupported</span>` : null;
  return html`<tr>
<td>${link(`/servers/${encodeURIComponent(s.id)}`, s.name)}</td>
<td>${s.build ?? '—'}</td>
<td>${s.product ?? '—'}${s.cu ? html` ${s.cu}` : null}${s.su ? html` ${s.su}` : null}${support}</td>
<td class="num">${exposure}</td>
<td>${severityBadge(s.maxSeverity)} ${s.untriaged > 0 ? html`<span class="untriaged">${`${s.untriaged} untriaged`}</span>` : null}</td>
<td>${timeEl(s.lastReportAt)}${s.lastSource ? html` <span class="muted">(${s.lastSource})</span>` : null}</td>
</tr>`;
}

function serverTable(v: OverviewView): SafeHtml {
  const f = v.filters;
  const params = filterParams(f);
  const h = (key: ServerSortKey, label: string): SafeHtml => sortHeader('/', params, f, key, label);
  const rows = v.servers.items.map(serverRow);
  return html`<table class="list servers">
<thead><tr>${h('name', 'Server')}${h('build', 'Build')}<th scope="col">Product</th>${h('openCves', 'Open CVEs / exploited')}${h('maxSeverity', 'Compromise')}${h('lastReportAt', 'Last report')}</tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="6" class="muted">No server matches.</td></tr>`}</tbody>
</table>
${pager({ path: '/', params: { ...params, sort: f.sort, desc: f.desc ? 1 : undefined }, total: v.servers.total, limit: f.limit, offset: f.offset })}`;
}

export function renderOverview(v: OverviewView): string {
  const body = html`${totalsCards(v.totals)}
<section class="charts">${barChart('Fleet posture (servers)', postureBars(v.totals))}${trendChart(v.trend)}</section>
<section><h2>Servers</h2>
${filterForm(v.filters)}
${serverTable(v)}
</section>`;
  return page({ title: 'Fleet overview', viewer: v.viewer, current: '/', notice: v.notice ?? null, body });
}
