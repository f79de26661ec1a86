/**
 * What a dashboard route reads from a request: the viewer (name, role, CSRF token) and the
 * actor for the audit log from `request.principal`, and untrusted form fields.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../store/types.js';
import { page, type Notice, type Viewer } from './layout.js';
import { html } from './html.js';

/** The signed-in person (a guard has already refused anonymous requests and agents). */
export function viewerOf(req: FastifyRequest): Viewer {
  const p = req.principal;
  if (p === null || p.kind === 'agent') throw new Error('dashboard route reached without a person: a guard is missing');
  return { name: p.user.name, role: p.user.role, csrf: p.kind === 'session' ? p.session.csrfToken : '' };
}

export function actorOf(req: FastifyRequest): Actor {
  const p = req.principal;
  if (p === null || p.kind === 'agent') throw new Error('dashboard action reached without a person: a guard is missing');
  return { kind: 'user', id: p.user.id, name: p.user.name };
}

type Body = Readonly<Record<string, unknown>>;

export function bodyOf(req: FastifyRequest): Body {
  const b = req.body;
  return typeof b === 'object' && b !== null && !Buffer.isBuffer(b) ? (b as Body) : {};
}

/** One text field (the first when repeated), trimmed unless `keep`; undefined when absent. */
export function field(b: Body, key: string, max = 4000, keep = false): string | undefined {
  const v = b[key];
  const s = Array.isArray(v) ? (v[0] as unknown) : v;
  if (typeof s !== 'string') return undefined;
  const t = keep ? s : s.trim();
  return t.length > max ? t.slice(0, max) : t;
}

/** A field that may repeat (checkbox lists), as strings. */
export function fields(b: Body, key: string, maxItems = 1000): readonly string[] {
  const v = b[key];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((x): x is string => typeof x === 'string' && x !== '' && x.length <= 200).slice(0, maxItems);
}

export async function sendPage(reply: FastifyReply, body: string, status = 200): Promise<void> {
  await reply.code(status).type('text/html; charset=utf-8').send(body);
}

/** A small HTML error page (404, 400) for dashboard paths. */
export async function sendError(reply: FastifyReply, viewer: Viewer | null, status: number, title: string, text: string): Promise<void> {
  const n: Notice = { kind: 'error', text };
  await sendPage(reply, page({ title, viewer, notice: n, body: html`<p><a href="/">Back to the overview</a></p>` }), status);
}

/** A notice from `?done=…` after a redirect (fixed texts only: the query picks one). */
export function doneNotice(q: Readonly<Record<string, unknown>>): Notice | null {
  const d = q['done'];
  if (typeof d !== 'string') return null;
  const m = /^triaged-(\d{1,7})$/.exec(d);
  if (m) return { kind: 'ok', text: `${m[1]} finding${m[1] === '1' ? '' : 's'} updated.` };
  const fixed: Readonly<Record<string, string>> = {
    'user-added': 'User added.',
    'agent-revoked': 'Agent revoked.',
    'nothing-selected': 'Select at least one finding and one change.',
  };
  const t = fixed[d];
  return t === undefined ? null : { kind: d === 'nothing-selected' ? 'error' : 'ok', text: t };
}
