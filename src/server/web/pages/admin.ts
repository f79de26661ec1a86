/**
 * Admin (`/admin`): users and the add-user form, enrolment-token creation (the new token is
 * shown once, right after creation, and never stored in clear), agents with their revoke
 * buttons. Every form carries the CSRF field.
 */
import { ROLES, type Agent, type Page, type User } from '../../store/types.js';
import { timeEl } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page, type Notice, type Viewer } from '../layout.js';
import { pager } from '../paging.js';

export interface AdminView {
  readonly viewer: Viewer;
  readonly users: readonly User[];
  /** One page of agents (`agentsPage` says which). */
  readonly agents: Page<Agent>;
  readonly agentsPage: { readonly limit: number; readonly offset: number };
  /** A freshly created enrolment token, shown once. */
  readonly newToken?: { readonly token: string; readonly expiresAt: string } | null;
  readonly notice?: Notice | null;
}

function users(v: AdminView): SafeHtml {
  const rows = v.users.map((u) => html`<tr><td>${u.name}</td><td>${u.role}</td><td>${timeEl(u.createdAt)}</td><td>${u.disabled ? 'disabled' : 'active'}</td></tr>`);
  const roles = ROLES.map((r) => html`<option value="${r}"${r === 'viewer' ? html` selected` : null}>${r}</option>`);
  return html`<section><h2>Users</h2>
<table class="list"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">State</th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/admin/users" class="inline-form">${csrfField(v.viewer)}
<label>Name <input type="text" name="name" required maxlength="100" autocomplete="off"></label>
<label>Role <select name="role">${roles}</select></label>
<label>Password <input type="password" name="password" required minlength="12" autocomplete="new-password"></label>
<button type="submit">Add user</button></form></section>`;
}

function enrolment(v: AdminView): SafeHtml {
  const shown = v.newToken
    ? html`<div class="token-once" role="status"><p>New enrolment token (shown once; copy it now), valid until ${timeEl(v.newToken.expiresAt)}:</p><pre class="token">${v.newToken.token}</pre></div>`
    : null;
  return html`<section><h2>Agent enrolment</h2>${shown}
<form method="post" action="/admin/enrolment-tokens" class="inline-form">${csrfField(v.viewer)}
<label>Valid for (hours) <input type="number" name="ttlHours" value="24" min="1" max="720"></label>
<label>Uses <input type="number" name="uses" value="1" min="1" max="10000"></label>
<button type="submit">Create enrolment token</button></form></section>`;
}

function agents(v: AdminView): SafeHtml {
  const rows = v.agents.items.map((a) => html`<tr><td>${a.hostname}</td><td><code>${a.id}</code></td><td>${timeEl(a.enrolledAt)}</td><td>${timeEl(a.lastSeenAt)}</td><td>${
    a.revoked ? 'revoked' : html`<form method="post" action="/admin/agents/${encodeURIComponent(a.id)}/revoke" class="confirm">${csrfField(v.viewer)}<button type="submit" class="danger">Revoke</button></form>`}</td></tr>`);
  return html`<section><h2>Agents</h2>
${rows.length > 0 ? html`<table class="list"><thead><tr><th scope="col">Host name</th><th scope="col">Agent id</th><th scope="col">Enrolled</th><th scope="col">Last seen</th><th scope="col"></th></tr></thead><tbody>${rows}</tbody></table>
${pager({ path: '/admin', params: {}, total: v.agents.total, ...v.agentsPage })}` : html`<p class="muted">No agents enrolled.</p>`}</section>`;
}

export function renderAdmin(v: AdminView): string {
  return page({ title: 'Administration', viewer: v.viewer, current: '/admin', notice: v.notice ?? null, body: html`${users(v)}${enrolment(v)}${agents(v)}` });
}
