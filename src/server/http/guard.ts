/**
 * Route guards (`preHandler` hooks). API paths (`/api/…`) answer 401/403 with a JSON error;
 * dashboard paths redirect anonymous visitors to `/login?next=<local path>` and show a small
 * 403 page to a signed-in person whose role is too low. Guards may run at `onRequest` (before
 * the body is read: report upload) or at `preHandler`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../store/types.js';
import { roleOf } from './auth.js';
import { ROLE_RANK, type Guard, type RequireRole } from './types.js';

export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** A `next` target that stays on this site: a path starting with one `/` and no backslash or control. */
export function localPath(next: string | undefined | null): string | null {
  if (typeof next !== 'string' || next.length > 2000) return null;
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return null;
  return next;
}

const FORBIDDEN_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forbidden</title>'
  + '<link rel="stylesheet" href="/static/app.css"></head><body><main><h1>Forbidden</h1>'
  + '<p>Your role does not allow this page.</p><p><a href="/">Back to the overview</a></p></main></body></html>';

/** True when the request announces a body (a non-zero Content-Length, or any Transfer-Encoding). */
export function announcesBody(req: FastifyRequest): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

/**
 * A refusal closes the connection when the request came with a body: a guard at `onRequest`
 * answers before the body is read, and on a kept-alive connection Node would read (and drop)
 * the rest of it to reach the next request.
 */
function closeIfBody(req: FastifyRequest, reply: FastifyReply): void {
  if (announcesBody(req) && req.body === undefined) void reply.header('connection', 'close');
}

export async function unauthenticated(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  closeIfBody(req, reply);
  if (isApiPath(req.url)) {
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'authentication required' });
    return;
  }
  const next = req.method === 'GET' ? localPath(req.url) : null;
  await reply.redirect(next !== null && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login', 302);
}

export async function forbid(req: FastifyRequest, reply: FastifyReply, why = 'forbidden'): Promise<void> {
  closeIfBody(req, reply);
  if (isApiPath(req.url)) {
    await reply.code(403).send({ error: why });
    return;
  }
  await reply.code(403).type('text/html; charset=utf-8').send(FORBIDDEN_PAGE);
}

function allowed(role: Role | null, min: Role): boolean {
  return role !== null && ROLE_RANK[role] >= ROLE_RANK[min];
}

/** People (session or API token) with at least role `min`; agents are refused. */
export const requireRole: RequireRole = (min) => async (req, reply) => {
  if (req.principal === null) return unauthenticated(req, reply);
  if (!allowed(roleOf(req.principal), min)) return forbid(req, reply);
};

/** Any authenticated principal (person or agent). */
export const requirePrincipal: Guard = async (req, reply) => {
  if (req.principal === null) return unauthenticated(req, reply);
};

/** A browser session (logout); other principals are refused. */
export const requireSession: Guard = async (req, reply) => {
  if (req.principal === null) return unauthenticated(req, reply);
  if (req.principal.kind !== 'session') return forbid(req, reply, 'a browser session is required');
};

/** An agent, or a person with at least role `min` (report upload). */
export function requireAgentOrRole(min: Role): Guard {
  return async (req, reply) => {
    const p = req.principal;
    if (p === null) return unauthenticated(req, reply);
    if (p.kind !== 'agent' && !allowed(p.user.role, min)) return forbid(req, reply);
  };
}
