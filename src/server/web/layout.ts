/**
 * The page shell every dashboard page shares: head (our stylesheet and script only, both
 * under `script-src 'self'`/`style-src 'self'`), navigation by role, the logout form with its
 * CSRF field, and an optional notice.
 */
import type { Role } from '../store/types.js';
import { ROLE_RANK } from '../http/types.js';
import { html, type SafeHtml } from './html.js';

/** Who is looking at the page (null on the login page). */
export interface Viewer {
  readonly name: string;
  readonly role: Role;
  /** The session's CSRF token, put into every POST form. */
  readonly csrf: string;
}

export interface Notice {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

export interface PageShell {
  readonly title: string;
  readonly viewer: Viewer | null;
  /** The nav entry to mark current ('/', '/findings', …). */
  readonly current?: string;
  readonly notice?: Notice | null;
  readonly body: SafeHtml;
}

const NAV: readonly { readonly path: string; readonly label: string; readonly min: Role }[] = [
  { path: '/', label: 'Fleet', min: 'viewer' },
  { path: '/findings', label: 'Findings', min: 'viewer' },
  { path: '/compliance', label: 'Compliance', min: 'viewer' },
  { path: '/audit', label: 'Audit log', min: 'analyst' },
  { path: '/admin', label: 'Admin', min: 'admin' },
];

export function canDo(v: Viewer | null, min: Role): boolean {
  return v !== null && ROLE_RANK[v.role] >= ROLE_RANK[min];
}

/** The hidden CSRF field every POST form carries. */
export function csrfField(v: Viewer): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${v.csrf}">`;
}

function nav(v: Viewer | null, current: string | undefined): SafeHtml {
  if (v === null) return html``;
  const items = NAV.filter((n) => canDo(v, n.min)).map(
    (n) => html`<li><a href="${n.path}"${n.path === current ? html` aria-current="page"` : null}>${n.label}</a></li>`,
  );
  return html`<nav><ul>${items}</ul>
<form method="post" action="/logout" class="logout">${csrfField(v)}<span class="who">${v.name} (${v.role})</span> <button type="submit">Log out</button></form></nav>`;
}

export function page(p: PageShell): string {
  const notice = p.notice ? html`<p class="notice ${p.notice.kind}" role="status">${p.notice.text}</p>` : null;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${p.title} — exhunt fleet</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<script src="/static/app.js" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/">exhunt fleet</a>${nav(p.viewer, p.current)}</header>
<main>
<h1>${p.title}</h1>
${notice}
${p.body}
</main>
</body>
</html>
`.value;
}
