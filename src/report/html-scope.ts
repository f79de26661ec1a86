/**
 * The scope section of the HTML report: per attacker identity, per mailbox, export requests,
 * staged archives and what the logs cannot answer. Every value goes through the auto-escaping
 * `html` template (controls stripped, markup escaped); nothing from evidence becomes a link.
 */
import type { Report } from '../findings/types.js';
import type { ScopeAttacker, ScopeExport, ScopeMailbox, ScopeSection, ScopeStaged } from '../engines/scope/types.js';
import { html, type SafeHtml } from './escape.js';
import { attackerName, protocolText, scopeOf, statusText } from './scope-view.js';

function table(headers: readonly string[], rows: readonly SafeHtml[]): SafeHtml {
  return html`<table><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr>\n${rows}</table>`;
}

function row(cells: readonly unknown[]): SafeHtml {
  return html`<tr>${cells.map((c) => html`<td>${c}</td>`)}</tr>\n`;
}

function when(first: string | null, last: string | null): SafeHtml {
  if (first === null) return html`<span class="muted">no time</span>`;
  return last !== null && last !== first ? html`${first}<br>.. ${last}` : html`${first}`;
}

function attackerRow(a: ScopeAttacker): SafeHtml {
  const boxes = a.mailboxes.map((m) => html`<li><code>${m.mailbox}</code> (${protocolText(m.protocols)})</li>`);
  const users = a.users.length > 0 ? html`<div class="muted">authenticated as ${a.users.join(', ')}</div>` : null;
  const cmdlets = Object.keys(a.cmdlets).length > 0 ? html`<div>cmdlets: ${Object.entries(a.cmdlets).map(([c, n]) => `${c} ×${n}`).join(', ')}</div>` : null;
  return row([
    html`<strong>${attackerName(a)}</strong><div class="muted">from ${a.from.join(', ') || '—'}</div>`,
    a.requests, when(a.firstSeen, a.lastSeen), a.bytesSent, statusText(a.statusClasses),
    html`<ul class="plain">${boxes}</ul>${users}${cmdlets}`,
  ]);
}

function mailboxRow(m: ScopeMailbox): SafeHtml {
  return row([
    html`<code>${m.mailbox}</code>${m.exported ? html` <span class="sev high">exported</span>` : null}`,
    protocolText(m.protocols) || '—', m.requests, when(m.firstSeen, m.lastSeen), m.bytesSent, statusText(m.statusClasses), m.by.join(', '),
  ]);
}

function exportRow(e: ScopeExport): SafeHtml {
  const file = e.file
    ? html`<code>${e.file.path}</code> (${e.file.size} bytes)`
    : html`<span class="muted">${e.fileNote ?? 'unknown'}</span>`;
  return row([e.time ?? '—', html`<code>${e.mailbox ?? '?'}</code>`, html`<code>${e.filePath ?? '—'}</code>`, e.user ?? '—', `${e.cmdlet} (${e.source})`, file]);
}

function stagedRow(s: ScopeStaged): SafeHtml {
  return row([html`<code>${s.path}</code>`, s.kind, s.size, s.mtime ?? '—', s.place]);
}

function body(s: ScopeSection): SafeHtml {
  const window = s.window ? html`<p class="meta">Attack window ${s.window.from} .. ${s.window.to} (UTC)</p>` : null;
  const gaps = s.gaps.length > 0
    ? html`<h3>What the logs cannot answer</h3><ul>${s.gaps.map((g) => html`<li>logs cannot answer for ${g.from} .. ${g.to}: ${g.reason}</li>`)}</ul>`
    : null;
  const notes = s.notes.length > 0 ? html`<ul>${s.notes.map((n) => html`<li>${n}</li>`)}</ul>` : null;
  return html`${window}${notes}
<h3>Per attacker identity</h3>${s.attackers.length > 0
    ? table(['Identity', 'Requests', 'When (UTC)', 'Bytes sent', 'Status', 'Mailboxes'], s.attackers.map(attackerRow))
    : html`<p class="muted">No attacker identities.</p>`}
<h3>Per mailbox</h3>${s.mailboxes.length > 0
    ? table(['Mailbox', 'Protocols', 'Requests', 'When (UTC)', 'Bytes sent', 'Status', 'By'], s.mailboxes.map(mailboxRow))
    : html`<p class="muted">No mailbox access by an attacker identity seen in the logs.</p>`}
${s.exports.length > 0 ? html`<h3>Mailbox export requests</h3>${table(['When (UTC)', 'Mailbox', 'File path', 'Run by', 'Cmdlet', 'File in the evidence'], s.exports.map(exportRow))}` : null}
${s.staged.length > 0 ? html`<h3>Archives staged</h3>${table(['Path', 'Kind', 'Bytes', 'Modified', 'Place'], s.staged.map(stagedRow))}` : null}
${gaps}`;
}

/** The scope section, or nothing when the report has no scope. */
export function scopeSection(report: Report): SafeHtml {
  const s = scopeOf(report);
  return s === null ? html`` : html`<section><h2>Scope of the compromise</h2>${body(s)}</section>`;
}
