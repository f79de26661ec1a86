/**
 * Finding detail (`/findings/:id`): what was seen with its evidence and rule, the comments,
 * a triage form for this one finding (analyst+), and its audit trail.
 */
import type { AuditEntry, FindingDetail, Page } from '../../store/types.js';
import { detailsBlock, evidenceBlock, ruleBlock, valueText } from '../evidence.js';
import { severityBadge, statusBadge, timeEl } from '../format.js';
import { html, link, type SafeHtml } from '../html.js';
import { canDo, page, type Notice, type Viewer } from '../layout.js';
import { auditTable } from './audit.js';
import { triageControls } from './findings.js';

export interface FindingView {
  readonly viewer: Viewer;
  readonly finding: FindingDetail;
  readonly audit: Page<AuditEntry>;
  readonly notice?: Notice | null;
}

function list(v: unknown): readonly string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 50) : [];
}

function facts(f: FindingDetail): SafeHtml {
  const d = f.data;
  const cves = list(d['cves']);
  const attack = list(d['attack']);
  return html`<dl class="kv">
<dt>Server</dt><dd>${link(`/servers/${encodeURIComponent(f.serverId)}`, f.serverName)}</dd>
<dt>Severity</dt><dd>${severityBadge(f.severity)} confidence ${valueText(d['confidence'])}</dd>
<dt>Status</dt><dd>${statusBadge(f.status)}${f.assignee ? html` assigned to <strong>${f.assignee}</strong>` : null} <span class="muted">updated ${timeEl(f.updatedAt)}</span></dd>
<dt>Rule</dt><dd><code>${f.ruleId}</code> · ${f.category}</dd>
<dt>CVEs</dt><dd>${cves.length > 0 ? cves.map((c) => html`<code>${c}</code> `) : '—'}</dd>
<dt>ATT&amp;CK</dt><dd>${attack.length > 0 ? attack.map((c) => html`<code>${c}</code> `) : '—'}</dd>
<dt>Seen</dt><dd>${timeEl(f.firstSeen)} – ${timeEl(f.lastSeen)} (${valueText(d['count'])} times)</dd>
<dt>Finding id</dt><dd><code>${f.findingId}</code></dd>
</dl>`;
}

function comments(f: FindingDetail): SafeHtml {
  if (f.comments.length === 0) return html`<p class="muted">No comments yet.</p>`;
  return html`<ol class="comments">${f.comments.map((c) => html`<li><p class="meta"><strong>${c.user}</strong> ${timeEl(c.at)}</p><p class="text">${c.text}</p></li>`)}</ol>`;
}

export function renderFinding(v: FindingView): string {
  const f = v.finding;
  const self = `/findings/${encodeURIComponent(f.id)}`;
  const triage = canDo(v.viewer, 'analyst')
    ? html`<section><h2>Triage</h2><form method="post" action="/findings/triage" class="triage-one"><input type="hidden" name="ids" value="${f.id}">${triageControls(v.viewer, self)}</form></section>`
    : null;
  const body = html`${facts(f)}
<section><h2>Evidence</h2>${evidenceBlock(f.data['evidence'])}${detailsBlock(f.data['details'])}${ruleBlock(f.data['rule'])}</section>
<section><h2>Comments</h2>${comments(f)}</section>
${triage}
<section><h2>Audit trail</h2>${auditTable(v.audit.items)}${v.audit.total > v.audit.items.length ? html`<p class="muted">Showing the newest ${v.audit.items.length} of ${v.audit.total} entries.</p>` : null}</section>`;
  return page({ title: f.title, viewer: v.viewer, current: '/findings', notice: v.notice ?? null, body });
}
