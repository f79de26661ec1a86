/**
 * People signing in through the API: `POST /api/v1/login` (session cookie + CSRF token; JSON
 * from this site only, like the dashboard form, against login CSRF),
 * `POST /api/v1/logout`, `POST /api/v1/tokens` (a bearer API token for scripts and
 * `exhunt report upload`, exchanged for a name and password), and `GET /api/v1/me`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../http/auth.js';
import { requirePrincipal, requireSession } from '../http/guard.js';
import { attemptLogin, auditFailure, checkCredentials } from '../http/login.js';
import { isJsonRequest, sameOrigin } from '../http/origin.js';
import type { ServerOptions } from '../http/types.js';
import { ROLE_RANK } from '../http/types.js';
import { AUTH_ERRORS, ErrorBody, Role } from './schemas.js';

const Credentials = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
};
const TAGS = ['session'];

/**
 * Sign-in requests (login, token exchange), checked before the body is read: from a page of this
 * site only (login CSRF: see http/origin.ts) and as JSON only, which a cross-site form cannot send.
 */
async function signInIntake(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (!sameOrigin(req)) return reply.code(403).header('connection', 'close').send({ error: 'sign in from this site only (cross-site request refused)' });
  if (!isJsonRequest(req)) return reply.code(415).header('connection', 'close').send({ error: 'send the name and password as application/json' });
  return undefined;
}

export function sessionRoutes(app: FastifyInstance, opts: ServerOptions): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { store } = opts;

  r.post('/api/v1/login', {
    config: { csrf: false, anonymousBody: true },
    onRequest: signInIntake,
    schema: {
      tags: TAGS, summary: 'Sign in: sets the session cookie and returns the CSRF token for state-changing requests',
      body: Type.Object(Credentials),
      response: { 200: Type.Object({ user: Type.Object({ name: Type.String(), role: Role }), csrfToken: Type.String() }), 401: ErrorBody, 403: ErrorBody, 415: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const res = await attemptLogin(store, opts, req.body.name, req.body.password, req.ip);
    if (!res.ok) {
      if (res.reason === 'rate-limited') return reply.code(429).header('retry-after', String(res.retryAfterSeconds ?? opts.loginLimit.windowSeconds)).send({ error: 'too many failed logins; try again later' });
      return reply.code(401).send({ error: 'wrong name or password' });
    }
    setSessionCookie(reply, opts, res.token);
    return { user: { name: res.session.user.name, role: res.session.user.role }, csrfToken: res.session.csrfToken };
  });

  r.post('/api/v1/logout', {
    preHandler: requireSession,
    schema: { tags: TAGS, summary: 'Sign out: ends the session', response: { 204: Type.Null(), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    const p = req.principal;
    const token = req.cookies[SESSION_COOKIE];
    if (p?.kind === 'session' && typeof token === 'string') {
      await store.deleteSession(token);
      await store.audit({ actor: { kind: 'user', id: p.user.id, name: p.user.name }, action: 'logout', targetKind: 'session', targetId: p.session.id });
    }
    clearSessionCookie(reply, opts);
    return reply.code(204).send(null);
  });

  r.post('/api/v1/tokens', {
    config: { csrf: false, anonymousBody: true },
    onRequest: signInIntake,
    schema: {
      tags: TAGS, summary: 'Exchange a name and password for a personal API token (analyst and admin only; rate-limited like login)',
      body: Type.Object({ ...Credentials, label: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 201: Type.Object({ token: Type.String() }), 401: ErrorBody, 403: ErrorBody, 415: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const res = await checkCredentials(store, opts, req.body.name, req.body.password, req.ip);
    if (!res.ok) {
      if (res.reason === 'invalid') await auditFailure(store, opts, req.body.name, req.ip, res.limited ?? []);
      if (res.reason === 'rate-limited') return reply.code(429).header('retry-after', String(res.retryAfterSeconds ?? opts.loginLimit.windowSeconds)).send({ error: 'too many failed logins; try again later' });
      return reply.code(401).send({ error: 'wrong name or password' });
    }
    if (ROLE_RANK[res.user.role] < ROLE_RANK.analyst) return reply.code(403).send({ error: 'viewers cannot create API tokens' });
    const actor = { kind: 'user', id: res.user.id, name: res.user.name } as const;
    const { token } = await store.createApiToken(res.user.id, req.body.label, actor);
    return reply.code(201).send({ token });
  });

  r.get('/api/v1/me', {
    preHandler: requirePrincipal,
    schema: {
      tags: TAGS, summary: 'Who is asking',
      response: { 200: Type.Object({ kind: Type.Union([Type.Literal('session'), Type.Literal('token'), Type.Literal('agent')]), name: Type.String(), role: Type.Optional(Role) }), ...AUTH_ERRORS },
    },
  }, (req) => {
    const p = req.principal;
    if (p === null) throw new Error('guarded route without principal');
    return Promise.resolve(p.kind === 'agent' ? { kind: p.kind, name: p.agent.hostname } : { kind: p.kind, name: p.user.name, role: p.user.role });
  });
}
