/**
 * Test harness for the HTTP layer: a real fleet store (SQLite in a temp folder, or a fresh
 * PostgreSQL database when EXHUNT_TEST_PG is set), the app built on it, and one principal of
 * every kind — admin/analyst/viewer sessions (cookie + CSRF token) and API tokens, and an
 * enrolled agent — so that tests can call any route as anyone through `app.inject`.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../app.js';
import { createTestDatabase, type TestBackend, type TestDatabase } from '../../store/test-db.js';
import type { FleetStore, Role } from '../../store/types.js';
import type { ServerOptions } from '../types.js';

export const PASSWORD = 'correct horse battery staple';
export const ROLES_UNDER_TEST: readonly Role[] = ['admin', 'analyst', 'viewer'];

export interface SessionCreds { readonly cookie: string; readonly csrf: string }

export type Who = 'anonymous' | 'agent' | `${Role}-session` | `${Role}-token`;

export interface Harness {
  readonly app: FastifyInstance;
  readonly store: FleetStore;
  readonly opts: ServerOptions;
  readonly sessions: Readonly<Record<Role, SessionCreds>>;
  readonly tokens: Readonly<Record<Role, string>>;
  readonly agent: { readonly id: string; readonly credential: string; readonly hostname: string };
  /** A request as `who`: session requests carry the cookie and (unless `csrf: false`) the CSRF header. */
  as(who: Who, req: InjectOptions & { readonly csrf?: boolean }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function serverOptions(store: FleetStore, over: Partial<ServerOptions> = {}): ServerOptions {
  return { store, maxUploadBytes: 256 * 1024, secureCookies: false, sessionTtlSeconds: 3600,
    loginLimit: { max: 5, windowSeconds: 900 }, trustProxy: false, asOf: () => '2026-11-27', ...over };
}

export async function login(app: FastifyInstance, name: string, password = PASSWORD, remoteAddress = '127.0.0.1'): Promise<SessionCreds> {
  const r = await app.inject({ method: 'POST', url: '/api/v1/login', payload: { name, password }, remoteAddress });
  if (r.statusCode !== 200) throw new Error(`login ${name}: ${r.statusCode} ${r.body}`);
  const cookie = r.cookies.find((c) => c.name === 'exhunt_session')?.value;
  if (cookie === undefined) throw new Error('login set no cookie');
  return { cookie, csrf: (JSON.parse(r.body) as { csrfToken: string }).csrfToken };
}

/** Adds one user per role (named after the role) and signs each in. */
async function people(app: FastifyInstance, store: FleetStore): Promise<Pick<Harness, 'sessions' | 'tokens'>> {
  const sessions: Partial<Record<Role, SessionCreds>> = {};
  const tokens: Partial<Record<Role, string>> = {};
  for (const role of ROLES_UNDER_TEST) {
    const user = await store.addUser(role, role, PASSWORD, { kind: 'system', id: null, name: 'test' });
    sessions[role] = await login(app, role);
    // Straight from the store: the API gives viewers no token, but a viewer's token must still be refused where it should.
    tokens[role] = (await store.createApiToken(user.id, 'test', { kind: 'system', id: null, name: 'test' })).token;
  }
  return { sessions: sessions as Record<Role, SessionCreds>, tokens: tokens as Record<Role, string> };
}

function request(h: Pick<Harness, 'app' | 'sessions' | 'tokens' | 'agent'>, who: Who, req: InjectOptions & { readonly csrf?: boolean }): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...(req.headers as Record<string, string> | undefined) };
  const { csrf, ...rest } = req;
  let cookies: Record<string, string> | undefined;
  if (who === 'agent') headers.authorization = `Bearer ${h.agent.credential}`;
  else if (who.endsWith('-token')) headers.authorization = `Bearer ${h.tokens[who.slice(0, -6) as Role]}`;
  else if (who.endsWith('-session')) {
    const s = h.sessions[who.slice(0, -8) as Role];
    cookies = { exhunt_session: s.cookie };
    if (csrf !== false) headers['x-csrf-token'] = s.csrf;
  }
  return h.app.inject({ ...rest, headers, ...(cookies !== undefined ? { cookies } : {}) });
}

/** Builds the harness on `backend`; null when that backend is not available (PostgreSQL unset). */
export async function createHarness(backend: TestBackend, over: Partial<ServerOptions> = {}): Promise<Harness | null> {
  const db: TestDatabase | null = await createTestDatabase(backend);
  if (db === null) return null;
  const store = await db.open();
  const opts = serverOptions(store, over);
  const app = await buildApp(opts);
  const who = await people(app, store);
  const enrol = await store.createEnrolmentToken({ kind: 'system', id: null, name: 'test' }, { ttlSeconds: 3600, uses: 5 });
  const enrolled = await store.enrollAgent(enrol.token, 'agent-host.example');
  if (enrolled === null) throw new Error('agent enrolment failed');
  const agent = { id: enrolled.agent.id, credential: enrolled.credential, hostname: enrolled.agent.hostname };
  const base = { app, ...who, agent };
  return {
    ...base, store, opts,
    as: (w, req) => request(base, w, req),
    close: async () => { await app.close(); await store.close(); await db.dispose(); },
  };
}
