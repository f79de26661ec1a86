/** The audit actor of an authenticated request (routes call it only behind a guard). */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../store/types.js';

export function actorOf(req: FastifyRequest): Actor {
  const p = req.principal;
  if (p === null) throw new Error('actorOf: route reached without a principal (missing guard)');
  return p.kind === 'agent' ? { kind: 'agent', id: p.agent.id, name: p.agent.hostname } : { kind: 'user', id: p.user.id, name: p.user.name };
}
