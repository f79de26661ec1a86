/** Audit log (`/audit`, analyst+): every change of state, newest first, paginated. */
import type { AuditEntry, Page } from '../../store/types.js';
import { valueText } from '../evidence.js';
import { timeEl } from '../format.js';
import { html, link, type SafeHtml } from '../html.js';
import { page, type Viewer } from '../layout.js';
import { pager } from '../paging.js';

export interface AuditView {
  readonly viewer: Viewer;
  readonly entries: Page<AuditEntry>;
  readonly limit: number;
  readonly offset: number;
}

function target(e: AuditEntry): SafeHtml {
  if (e.targetId === null) return html`${e.targetKind}`;
  const id = encodeURIComponent(e.targetId);
  if (e.targetKind === 'finding') return html`finding ${link(`/findings/${id}`, e.targetId)}`;
  if (e.targetKind === 'server') return html`server ${link(`/servers/${id}`, e.targetId)}`;
  return html`${e.targetKind} <code>${e.targetId}</code>`;
}

function details(d: Readonly<Record<string, unknown>>): SafeHtml {
  const items = Object.entries(d).slice(0, 20);
  return items.length === 0 ? html`` : html`<dl class="kv compact">${items.map(([k, v]) => html`<dt>${k}</dt><dd>${valueText(v)}</dd>`)}</dl>`;
}

export function auditTable(entries: readonly AuditEntry[]): SafeHtml {
  if (entries.length === 0) return html`<p class="muted">No entries.</p>`;
  const rows = entries.map((e) => html`<tr><td>${timeEl(e.at)}</td><td>${e.actorName} <span class="muted">(${e.actorKind})</span></td><td><code>${e.action}</code></td><td>${target(e)}</td><td>${details(e.details)}</td></tr>`);
  return html`<table class="list audit"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderAudit(v: AuditView): string {
  const body = html`${auditTable(v.entries.items)}
${pager({ path: '/audit', params: {}, total: v.entries.total, limit: v.limit, offset: v.offset })}`;
  return page({ title: 'Audit log', viewer: v.viewer, current: '/audit', body });
}
