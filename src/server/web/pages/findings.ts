/**
 * Findings list (`/findings`): filters, one page of findings, and the bulk triage form
 * (analyst and admin): status, assignee, comment for the ticked findings, with the CSRF field.
 */
import { CATEGORIES, SEVERITIES, type Severity } from '../../../findings/types.js';
import { TRIAGE_STATUSES, type Page, type StoredFinding, type TriageStatus } from '../../store/types.js';
import { STATUS_LABEL, severityBadge, statusBadge, timeEl } from '../format.js';
import { canDo, csrfField, page, type Notice, type Viewer } from '../layout.js';
import { encodeCursor, type FindingCursor } from '../../store/finding-cursor.js';
import { html, link, withQuery, type SafeHtml } from '../html.js';
import type { Params } from '../paging.js';

export interface FindingFilters {
  readonly serverId?: string;
  readonly status?: TriageStatus;
  readonly minSeverity?: Severity;
  readonly category?: string;
  readonly search?: string;
  /** The opaque cursor this page starts after (`?after=`), as given. */
  readonly after?: string;
  readonly limit: number;
  readonly offset: number;
}

export interface FindingsView {
  readonly viewer: Viewer;
  readonly filters: FindingFilters;
  /** `next`: the cursor of the page after this one (absent or null: none). */
  readonly findings: Page<StoredFinding> & { readonly next?: FindingCursor | null };
  readonly notice?: Notice | null;
}

export function findingParams(f: FindingFilters): Params {
  return { serverId: f.serverId, status: f.status, minSeverity: f.minSeverity, category: f.category, search: f.search };
}

function select(name: string, label: string, values: readonly string[], current: string | undefined, show: (v: string) => string = (v) => v): SafeHtml {
  const opts = values.map((v) => html`<option value="${v}"${current === v ? html` selected` : null}>${show(v)}</option>`);
  return html`<label>${label} <select name="${name}"><option value="">any</option>${opts}</select></label>`;
}

function filterForm(f: FindingFilters): SafeHtml {
  return html`<form method="get" action="/findings" class="filters">
<label>Search <input type="search" name="search" value="${f.search ?? ''}" maxlength="200" placeholder="title, rule, server"></label>
${select('status', 'Status', TRIAGE_STATUSES, f.status, (s) => STATUS_LABEL[s as TriageStatus])}
${select('minSeverity', 'Severity at least', SEVERITIES, f.minSeverity)}
${select('category', 'Category', CATEGORIES, f.category)}
${f.serverId ? html`<input type="hidden" name="serverId" value="${f.serverId}">` : null}
<button type="submit">Filter</button> ${link('/findings', 'reset')}
</form>`;
}

function row(f: StoredFinding, triage: boolean): SafeHtml {
  const box = triage ? html`<td><input type="checkbox" name="ids" value="${f.id}" class="pick" aria-label="select finding"></td>` : null;
  return html`<tr>${box}
<td>${severityBadge(f.severity)}</td>
<td>${link(`/findings/${encodeURIComponent(f.id)}`, f.title)}<br><span class="muted">${f.ruleId} · ${f.category}</span></td>
<td>${link(`/servers/${encodeURIComponent(f.serverId)}`, f.serverName)}</td>
<td>${statusBadge(f.status)}</td>
<td>${f.assignee ?? html`<span class="muted">—</span>`}</td>
<td>${timeEl(f.lastSeen)}</td>
<td>${timeEl(f.updatedAt)}</td>
</tr>`;
}

/** The bulk triage controls (inside the same form as the checkboxes). */
export function triageControls(v: Viewer, back: string): SafeHtml {
  const opts = TRIAGE_STATUSES.map((s) => html`<option value="${s}">${STATUS_LABEL[s]}</option>`);
  return html`<fieldset class="triage"><legend>Triage the selected findings</legend>
${csrfField(v)}<input type="hidden" name="back" value="${back}">
<label>Status <select name="status"><option value="">unchanged</option>${opts}</select></label>
<label>Assignee <input type="text" name="assignee" maxlength="100" placeholder="unchanged"></label>
<label><input type="checkbox" name="unassign" value="1"> unassign</label>
<label class="wide">Comment <textarea name="comment" rows="2" maxlength="4000"></textarea></label>
<button type="submit" class="bulk">Apply</button>
</fieldset>`;
}

/**
 * "51–100 of 1,234" (or, on a page reached by cursor, "50 of 1,234 after the previous pages"),
 * « first and, after an offset, ‹ previous; "next ›" always goes by cursor (no deep OFFSET).
 */
function findingsPager(f: FindingFilters, params: Params, p: FindingsView['findings']): SafeHtml {
  if (p.total === 0) return html`<p class="pager">No entries.</p>`;
  const at = (extra: Params): string => withQuery('/findings', { ...params, limit: f.limit === 50 ? undefined : f.limit, ...extra });
  const n = (x: number): string => x.toLocaleString('en-US');
  const shown = f.after !== undefined
    ? `${n(p.items.length)} of ${n(p.total)} after the previous pages`
    : `${n(Math.min(f.offset + 1, p.total))}–${n(Math.min(f.offset + p.items.length, p.total))} of ${n(p.total)}`;
  const first = f.after !== undefined || f.offset > 0 ? link(at({}), '« first') : null;
  const prev = f.after === undefined && f.offset > 0 ? link(at({ offset: Math.max(0, f.offset - f.limit) || undefined }), '‹ previous') : null;
  const next = p.next !== undefined && p.next !== null ? link(at({ after: encodeCursor(p.next) }), 'next ›') : null;
  return html`<p class="pager">${shown} ${first} ${prev} ${next}</p>`;
}

export function renderFindings(v: FindingsView): string {
  const f = v.filters;
  const triage = canDo(v.viewer, 'analyst');
  const params = findingParams(f);
  const back = withQuery('/findings', { ...params, after: f.after, limit: f.limit === 50 ? undefined : f.limit, offset: f.offset || undefined });
  const rows = v.findings.items.map((x) => row(x, triage));
  const table = html`<table class="list findings"><thead><tr>${triage ? html`<th scope="col"><input type="checkbox" class="pick-all" aria-label="select all" hidden></th>` : null}<th scope="col">Severity</th><th scope="col">Finding</th><th scope="col">Server</th><th scope="col">Status</th><th scope="col">Assignee</th><th scope="col">Last seen</th><th scope="col">Updated</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="${triage ? 8 : 7}" class="muted">No finding matches.</td></tr>`}</tbody></table>`;
  const listing = triage && rows.length > 0
    ? html`<form method="post" action="/findings/triage" class="bulk-form">${table}${triageControls(v.viewer, back)}</form>`
    : table;
  const body = html`${filterForm(f)}
${listing}
${findingsPager(f, params, v.findings)}`;
  return page({ title: 'Findings', viewer: v.viewer, current: '/findings', notice: v.notice ?? null, body });
}
