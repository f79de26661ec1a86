/**
 * The dashboard's routes: server-rendered pages under the strict CSP (set for every response
 * by http/headers.ts), forms with CSRF tokens (checked by http/csrf.ts), roles enforced by the
 * guards of http/guard.ts. Registered by the HTTP app after the auth hook.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerOptions } from '../http/types.js';
import { adminRoutes } from './routes-admin.js';
import { authRoutes, staticRoutes } from './routes-auth.js';
import { complianceRoutes } from './routes-compliance.js';
import { pageRoutes } from './routes-pages.js';
import { triageRoutes } from './routes-triage.js';

export async function dashboardRoutes(app: FastifyInstance, opts: ServerOptions): Promise<void> {
  staticRoutes(app);
  authRoutes(app, opts);
  pageRoutes(app, opts);
  triageRoutes(app, opts);
  complianceRoutes(app, opts);
  adminRoutes(app, opts);
  await Promise.resolve();
}
