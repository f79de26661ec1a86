/** People and the audit trail: users (admin) and the audit log (analyst and admin). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { actorOf } from './actor.js';
import { AuditEntry, AUTH_ERRORS, ErrorBody, Id, PageOf, Paging, Role, User, UserName } from './schemas.js';

export function peopleRoutes(app: FastifyInstance, opts: ServerOptions): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { store } = opts;

  r.get('/api/v1/users', {
    preHandler: requireRole('admin'),
    schema: { tags: ['users'], summary: 'People who can sign in', response: { 200: Type.Object({ items: Type.Array(User) }), ...AUTH_ERRORS } },
  }, async () => ({ items: [...await store.listUsers()] }));

  r.post('/api/v1/users', {
    preHandler: requireRole('admin'),
    schema: {
      tags: ['users'], summary: 'Add a person',
      body: Type.Object({ name: UserName, role: Role, password: Type.String({ minLength: 12, maxLength: 1024 }) }),
      response: { 201: User, 400: ErrorBody, 409: ErrorBody, ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const { name, role, password } = req.body;
    try {
      return await reply.code(201).send(await store.addUser(name, role, password, actorOf(req)));
    } catch (err) {
      // The store refuses with a code: `exists` (the name is taken, also in a race) or `invalid`.
      const code = (err as { code?: unknown }).code;
      if (code === 'exists') return reply.code(409).send({ error: 'a user of that name exists' });
      if (code === 'invalid') return reply.code(400).send({ error: err instanceof Error ? err.message : 'invalid user' });
      throw err;
    }
  });

  r.get('/api/v1/audit', {
    preHandler: requireRole('analyst'),
    schema: {
      tags: ['audit'], summary: 'The audit log, newest first',
      querystring: Type.Object({ targetKind: Type.Optional(Type.String({ maxLength: 50 })), targetId: Type.Optional(Id), ...Paging }),
      response: { 200: PageOf(AuditEntry), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const page = await store.listAudit({ limit: q.limit ?? 50, offset: q.offset ?? 0, targetKind: q.targetKind, targetId: q.targetId });
    return { items: page.items.map((e) => ({ ...e, details: { ...e.details } })), total: page.total };
  });
}
