/**
 * Dashboard sign-in and static assets: GET/POST /login (password form → session cookie →
 * redirect to a local `next` only), POST /logout, /static/app.css, /static/app.js and the icon.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../http/auth.js';
import { localPath, requireSession } from '../http/guard.js';
import { sameOrigin } from '../http/origin.js';
import { attemptLogin } from '../http/login.js';
import type { ServerOptions } from '../http/types.js';
import { renderLogin } from './pages/login.js';
import { str } from './query.js';
import { bodyOf, field, sendPage } from './request.js';
import { APP_CSS, FAVICON_SVG } from './static-css.js';
import { APP_JS } from './static-js.js';

/** The post-login target: a local path other than the login page itself, else `/`. */
export function nextTarget(raw: string | undefined): string {
  const p = localPath(raw ?? null);
  return p === null || p.startsWith('/login') ? '/' : p;
}

function signedIn(req: FastifyRequest): boolean {
  return req.principal !== null && req.principal.kind === 'session';
}

export function staticRoutes(app: FastifyInstance): void {
  const cache = 'public, max-age=3600';
  app.get('/static/app.css', async (_req, reply) => reply.header('cache-control', cache).type('text/css; charset=utf-8').send(APP_CSS));
  app.get('/static/app.js', async (_req, reply) => reply.header('cache-control', cache).type('text/javascript; charset=utf-8').send(APP_JS));
  app.get('/static/favicon.svg', async (_req, reply) => reply.header('cache-control', cache).type('image/svg+xml').send(FAVICON_SVG));
  app.get('/favicon.ico', async (_req, reply) => reply.redirect('/static/favicon.svg', 301));
}

export function authRoutes(app: FastifyInstance, opts: ServerOptions): void {
  app.get('/login', async (req, reply) => {
    const next = nextTarget(str(req.query as Record<string, unknown>, 'next', 2000));
    if (signedIn(req)) return reply.redirect(next, 302);
    await sendPage(reply, renderLogin({ next }));
  });

  app.post('/login', { config: { csrf: false, anonymousBody: true } }, async (req, reply) => {
    if (!sameOrigin(req)) return sendPage(reply, renderLogin({ next: '/', notice: { kind: 'error', text: 'Log in from this site\'s own login page.' } }), 403);
    const b = bodyOf(req);
    const name = field(b, 'name', 200) ?? '';
    const password = field(b, 'password', 1024, true) ?? '';
    const next = nextTarget(field(b, 'next', 2000));
    const r = await attemptLogin(opts.store, opts, name, password, req.ip);
    if (r.ok) {
      setSessionCookie(reply, opts, r.token);
      return reply.redirect(next, 303);
    }
    if (r.reason === 'rate-limited') {
      const wait = r.retryAfterSeconds ?? opts.loginLimit.windowSeconds;
      void reply.header('retry-after', String(wait));
      const minutes = Math.ceil(wait / 60);
      await sendPage(reply, renderLogin({ next, name, notice: { kind: 'error', text: `Too many failed logins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` } }), 429);
      return;
    }
    await sendPage(reply, renderLogin({ next, name, notice: { kind: 'error', text: 'Wrong name or password.' } }), 401);
  });

  app.post('/logout', { preHandler: requireSession }, async (req, reply) => {
    const p = req.principal;
    const token = req.cookies[SESSION_COOKIE];
    if (typeof token === 'string') await opts.store.deleteSession(token);
    if (p !== null && p.kind === 'session') {
      await opts.store.audit({ actor: { kind: 'user', id: p.user.id, name: p.user.name }, action: 'logout', targetKind: 'session', targetId: p.session.id });
    }
    clearSessionCookie(reply, opts);
    return reply.redirect('/login', 303);
  });
}
