/**
 * The fleet server's HTTP application: fastify with the TypeBox type provider, security headers
 * on every response, JSON errors without stack traces, the auth and CSRF hooks, the JSON API
 * (`/api/v1/…`, documented at `/api/v1/openapi.json`) and the dashboard. Holds no state of its
 * own beyond the directive catalogue (read-only data): sessions, rate limits and everything
 * else live in the store, so several processes on one PostgreSQL database act as one service.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger, { type SwaggerOptions } from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Type } from 'typebox';
import { TOOL_VERSION } from '../version.js';
import { agentRoutes } from './api/agents.js';
import { complianceRoutes } from './api/compliance.js';
import { directiveCatalog, type DirectiveCatalog } from './api/directives.js';
import { findingRoutes } from './api/findings.js';
import { peopleRoutes } from './api/people.js';
import { reportRoutes } from './api/reports.js';
import { serverRoutes } from './api/servers.js';
import { sessionRoutes } from './api/session.js';
import { registerAuth } from './http/auth.js';
import { registerCsrf } from './http/csrf.js';
import { registerErrorHandlers } from './http/errors.js';
import { jsonDepthProblem } from './http/json-depth.js';
import { registerSecurityHeaders } from './http/headers.js';
import type { ServerOptions } from './http/types.js';
import { sendNotFoundPage } from './web/not-found.js';
import { dashboardRoutes } from './web/routes.js';

/** Transport settings that are not part of ServerOptions (the CLI sets them). */
export interface AppTransport {
  /** PEM key and certificate: serve HTTPS. */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
  /** fastify logger (default off; `exhunt serve` logs JSON lines to stderr). */
  readonly logger?: FastifyServerOptions['logger'];
  /** Skip the dashboard (API-only tests). */
  readonly dashboard?: boolean;
}

/** Body limit for everything but report uploads (forms, JSON requests). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

function openapiInfo(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'exhunt fleet server API', version: TOOL_VERSION, description: 'Agents report, people triage; errors are {"error": "...", "details"?: [...]}' },
      components: {
        securitySchemes: {
          bearer: { type: 'http' as const, scheme: 'bearer', description: 'agent credential (exa_…) or personal API token (exu_…)' },
          session: { type: 'apiKey' as const, in: 'cookie' as const, name: 'exhunt_session', description: 'browser session; state-changing requests also need X-CSRF-Token' },
        },
      },
      security: [{ bearer: [] as string[] }, { session: [] as string[] }],
    },
    hideUntagged: true,
  };
}

async function apiPlugin(app: FastifyInstance, opts: ServerOptions, catalog: () => DirectiveCatalog): Promise<void> {
  sessionRoutes(app, opts);
  agentRoutes(app, opts);
  await reportRoutes(app, opts);
  serverRoutes(app, opts);
  findingRoutes(app, opts);
  complianceRoutes(app, opts, catalog);
  peopleRoutes(app, opts);
}

export async function buildApp(opts: ServerOptions, transport: AppTransport = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: transport.logger ?? false,
    trustProxy: opts.trustProxy,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // No connectionTimeout: a request queued behind slow ones must be answered, not dropped
    // (bench/server: 8 in flight on a busy store); requestTimeout still bounds a slow client.
    requestTimeout: 120_000,
    return503OnClosing: true,
    ...(transport.https !== undefined ? { https: { key: transport.https.key, cert: transport.https.cert } } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;
  let catalog: DirectiveCatalog | null = null;
  const getCatalog = (): DirectiveCatalog => (catalog ??= directiveCatalog({ warn: (m) => app.log.warn(m) }));

  // JSON with prototype poisoning refused, nested deeper than MAX_JSON_DEPTH refused (400) before
  // parsing; an empty body with a JSON content type is no body (logout, revoke).
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const deep = jsonDepthProblem(bytes);
    if (deep !== null) {
      done(Object.assign(new Error(deep), { statusCode: 400 }), undefined);
      return;
    }
    const text = bytes.toString('utf8');
    if (text.trim() === '') done(null, undefined);
    else void json(req, text, done);
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: DEFAULT_BODY_LIMIT });
  await app.register(swagger, openapiInfo());
  registerSecurityHeaders(app, opts.secureCookies);
  registerErrorHandlers(app, transport.dashboard !== false ? { notFoundPage: sendNotFoundPage } : {});
  registerAuth(app, opts);
  registerCsrf(app);

  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get('/healthz', { schema: { tags: ['meta'], summary: 'Liveness', response: { 200: Type.Object({ ok: Type.Boolean() }) } } },
    () => Promise.resolve({ ok: true }));
  typed.get('/api/v1/openapi.json', { schema: { tags: ['meta'], summary: 'This document (OpenAPI 3)' } },
    () => Promise.resolve(app.swagger()));
  await app.register((child, _o, done) => { apiPlugin(child, opts, getCatalog).then(() => done(), done); });
  if (transport.dashboard !== false) await app.register((child, _o, done) => { dashboardRoutes(child, opts).then(() => done(), done); });
  await app.ready();
  return app;
}
