/**
 * CSRF protection: a state-changing request (POST/PUT/PATCH/DELETE) authenticated by the session
 * cookie must carry that session's CSRF token, in the `X-CSRF-Token` header or the `_csrf` form
 * field; otherwise 403. Bearer-authenticated and anonymous requests need none (the cookie is
 * what a forged cross-site request would ride on). Runs at `preHandler`, after body parsing.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbid } from './guard.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` exempts a route from the CSRF check (login forms: they authenticate by password). */
    csrf?: boolean;
  }
}

/** The CSRF token a request carries (header first, then the `_csrf` form/JSON field). */
export function csrfTokenOf(req: FastifyRequest): string | null {
  const h = req.headers['x-csrf-token'];
  if (typeof h === 'string' && h !== '') return h;
  const body = req.body;
  if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body)) {
    const v = (body as Record<string, unknown>)._csrf;
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the request needs no token or carries the right one. */
export function csrfOk(req: FastifyRequest): boolean {
  const p = req.principal;
  if (!UNSAFE.has(req.method) || p === null || p.kind !== 'session') return true;
  if (req.routeOptions.config.csrf === false) return true;
  const got = csrfTokenOf(req);
  return got !== null && sameSecret(got, p.session.csrfToken);
}

export function registerCsrf(app: FastifyInstance): void {
  app.addHook('preHandler', async (req, reply) => {
    if (csrfOk(req)) return;
    await forbid(req, reply, 'missing or wrong CSRF token');
  });
}
