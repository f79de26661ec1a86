/**
 * Authentication: one `onRequest` hook resolves `request.principal` for every request from the
 * session cookie (`exhunt_session`) or an `Authorization: Bearer` secret — an agent credential
 * (`exa_…`) or a person's API token (`exu_…`). Nothing is cached in the process: every lookup goes
 * to the store, so several server processes behave as one. Anonymous bodies are refused unread
 * (see registerAuth). Also the session cookie's attributes.
 */
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FleetStore, Role } from '../store/types.js';
import { announcesBody, unauthenticated } from './guard.js';
import type { Principal, ServerOptions } from './types.js';

export const SESSION_COOKIE = 'exhunt_session';

/** The bearer secret of a request, or null (malformed headers count as none). */
export function bearerOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer[ \t]+([A-Za-z0-9_\-.~+/=]{8,512})[ \t]*$/i.exec(h);
  return m?.[1] ?? null;
}

async function fromBearer(store: FleetStore, secret: string): Promise<Principal | null> {
  if (secret.startsWith('exa_')) {
    const agent = await store.agentByCredential(secret);
    return agent !== null && !agent.revoked ? { kind: 'agent', agent } : null;
  }
  if (secret.startsWith('exu_')) {
    const user = await store.userByApiToken(secret);
    return user !== null && !user.disabled ? { kind: 'token', user } : null;
  }
  return null;
}

async function fromCookie(store: FleetStore, token: string): Promise<Principal | null> {
  if (!token.startsWith('exs_') || token.length > 512) return null;
  const session = await store.sessionByToken(token);
  if (session === null || session.user.disabled || Date.parse(session.expiresAt) <= Date.now()) return null;
  return { kind: 'session', user: session.user, session };
}

/** Resolves the principal of one request (bearer wins over the cookie when both are sent). */
export async function resolvePrincipal(store: FleetStore, req: FastifyRequest): Promise<Principal | null> {
  const bearer = bearerOf(req);
  if (bearer !== null) return fromBearer(store, bearer);
  const cookie = req.cookies[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie !== '' ? fromCookie(store, cookie) : null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `true`: the route takes a body from anonymous clients (sign-in, enrolment); see registerAuth. */
    anonymousBody?: boolean;
  }
}

/**
 * Registers the auth hook (needs @fastify/cookie registered first). It runs at `onRequest`,
 * before any body is read: an anonymous request that carries a body to a route not marked
 * `anonymousBody` is answered there (API 401, pages a redirect to the login) and its connection
 * closed, so a client without credentials never gets its body buffered or parsed.
 */
export function registerAuth(app: FastifyInstance, opts: ServerOptions): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    req.principal = await resolvePrincipal(opts.store, req);
    if (req.principal !== null || req.routeOptions.config.anonymousBody === true || !announcesBody(req)) return;
    await unauthenticated(req, reply);
    return reply;
  });
}

/** The role of a principal; agents have none. */
export function roleOf(p: Principal | null): Role | null {
  return p === null || p.kind === 'agent' ? null : p.user.role;
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure when served over TLS. */
export function setSessionCookie(reply: FastifyReply, opts: ServerOptions, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true, sameSite: 'strict', secure: opts.secureCookies, path: '/', maxAge: opts.sessionTtlSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, opts: ServerOptions): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: opts.secureCookies, path: '/' });
}
