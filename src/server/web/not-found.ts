/**
 * The dashboard's 404 page: any path outside `/api/…` that no route serves gets a small HTML
 * page in the usual layout (and so under the usual CSP), with the navigation when a person is
 * signed in. The requested path is not echoed back.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from './layout.js';
import { sendError } from './request.js';

/** The person looking, for the navigation; null when anonymous or an agent. */
export function optionalViewer(req: FastifyRequest): Viewer | null {
  const p = req.principal;
  if (p === null || p.kind === 'agent') return null;
  return { name: p.user.name, role: p.user.role, csrf: p.kind === 'session' ? p.session.csrfToken : '' };
}

export async function sendNotFoundPage(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  await sendError(reply, optionalViewer(req), 404, 'Page not found', 'There is no page at this address.');
}
