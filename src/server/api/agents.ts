/**
 * Agents: an admin makes an enrolment token; an agent exchanges it (once per use, before it
 * expires) for its own credential; admins list and revoke agents. Failed enrolments count
 * against the client address like failed logins, so tokens cannot be guessed at speed.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../http/guard.js';
import { addressKey, underLimit } from '../http/login.js';
import type { ServerOptions } from '../http/types.js';
import { actorOf } from './actor.js';
import { Agent, AUTH_ERRORS, ErrorBody, IdParams } from './schemas.js';

const TAGS = ['agents'];
export const Hostname = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });

export function agentRoutes(app: FastifyInstance, opts: ServerOptions): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { store } = opts;

  r.post('/api/v1/enrolment-tokens', {
    preHandler: requireRole('admin'),
    schema: {
      tags: TAGS, summary: 'Create an enrolment token (shown once)',
      body: Type.Object({
        ttlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30, default: 24 })),
        uses: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
      }),
      response: { 201: Type.Object({ token: Type.String(), expiresAt: Type.String() }), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const t = await store.createEnrolmentToken(actorOf(req), { ttlSeconds: (req.body.ttlHours ?? 24) * 3600, uses: req.body.uses ?? 1 });
    return reply.code(201).send({ token: t.token, expiresAt: t.expiresAt });
  });

  r.post('/api/v1/agents/enroll', {
    config: { csrf: false, anonymousBody: true },
    schema: {
      tags: TAGS, summary: 'Exchange an enrolment token for a per-agent credential (rate-limited per address)',
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), hostname: Hostname }),
      response: { 201: Type.Object({ agentId: Type.String(), credential: Type.String(), serverName: Type.String() }), 403: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const key = `enroll:${addressKey(req.ip)}`;
    const limit = await underLimit(store, opts, [{ key, max: Math.max(1, Math.floor(opts.loginLimit.max)) }],
      () => (req.body.token.startsWith('exe_') ? store.enrollAgent(req.body.token, req.body.hostname) : Promise.resolve(null)));
    if (!limit.ok) return reply.code(429).header('retry-after', String(limit.retryAfterSeconds)).send({ error: 'too many failed enrolments; try again later' });
    const res = limit.value;
    if (res === null) return reply.code(403).send({ error: 'unknown, expired or used-up enrolment token' });
    return reply.code(201).send({ agentId: res.agent.id, credential: res.credential, serverName: res.agent.hostname });
  });

  r.get('/api/v1/agents', {
    preHandler: requireRole('admin'),
    schema: { tags: TAGS, summary: 'Enrolled agents', response: { 200: Type.Object({ items: Type.Array(Agent) }), ...AUTH_ERRORS } },
  }, async () => ({ items: [...await store.listAgents()] }));

  r.post('/api/v1/agents/:id/revoke', {
    preHandler: requireRole('admin'),
    schema: { tags: TAGS, summary: 'Revoke an agent credential', params: IdParams, response: { 204: Type.Null(), 404: ErrorBody, ...AUTH_ERRORS } },
  }, async (req, reply) => {
    const ok = await store.revokeAgent(req.params.id, actorOf(req));
    return ok ? reply.code(204).send(null) : reply.code(404).send({ error: 'no such agent' });
  });
}
