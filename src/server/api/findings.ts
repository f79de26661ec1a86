/** Findings across the fleet: list, detail, and bulk triage (analyst and admin). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { decodeCursor, encodeCursor, MAX_FINDINGS_OFFSET } from '../store/finding-cursor.js';
import { actorOf } from './actor.js';
import { AUTH_ERRORS, ErrorBody, FindingDetail, Id, IdParams, Nullable, PageOf, Paging, Severity, StoredFinding, TriageStatus } from './schemas.js';

const TAGS = ['findings'];

export function findingRoutes(app: FastifyInstance, opts: ServerOptions): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { store } = opts;

  r.get('/api/v1/findings', {
    preHandler: requireRole('viewer'),
    schema: {
      tags: TAGS, summary: 'Findings, filtered and paginated',
      querystring: Type.Object({
        serverId: Type.Optional(Id), status: Type.Optional(TriageStatus), minSeverity: Type.Optional(Severity),
        category: Type.Optional(Type.String({ maxLength: 100 })), search: Type.Optional(Type.String({ maxLength: 200 })),
        after: Type.Optional(Type.String({ maxLength: 600, description: 'the `next` of the previous page: the page after it (offset then counts from there)' })),
        limit: Paging.limit,
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: `at most ${MAX_FINDINGS_OFFSET}; page deeper with \`after\`` })),
      }),
      response: {
        200: Type.Object({ ...PageOf(StoredFinding).properties, next: Nullable(Type.String({ description: 'cursor of the next page (pass as `after`); null on the last page' })) }),
        400: ErrorBody, ...AUTH_ERRORS,
      },
    },
  }, async (req, reply) => {
    const q = req.query;
    const after = q.after === undefined ? undefined : decodeCursor(q.after);
    if (after === null) return reply.code(400).send({ error: 'after is not a cursor this server gave (use the `next` of a findings page)' });
    const offset = q.offset ?? 0;
    if (offset > MAX_FINDINGS_OFFSET) return reply.code(400).send({ error: `offset is at most ${MAX_FINDINGS_OFFSET}: page further with after=<next of the previous page>` });
    const page = await store.listFindings({ serverId: q.serverId, status: q.status, minSeverity: q.minSeverity, category: q.category, search: q.search,
      after, limit: q.limit ?? 50, offset });
    return reply.send({ items: [...page.items], total: page.total, next: page.next === null ? null : encodeCursor(page.next) });
  });

  r.get('/api/v1/findings/:id', {
    preHandler: requireRole('viewer'),
    schema: { tags: TAGS, summary: 'One finding with its evidence and comments', params: IdParams, response: { 200: FindingDetail, 404: ErrorBody, ...AUTH_ERRORS } },
  }, async (req, reply) => {
    const f = await store.finding(req.params.id);
    return f === null ? reply.code(404).send({ error: 'no such finding' }) : reply.send({ ...f, data: { ...f.data }, comments: [...f.comments] });
  });

  r.patch('/api/v1/findings', {
    preHandler: requireRole('analyst'),
    schema: {
      tags: TAGS, summary: 'Triage findings in bulk: status, assignee, comment (one audit entry per finding)',
      body: Type.Object({
        ids: Type.Array(Id, { minItems: 1, maxItems: 1000 }),
        status: Type.Optional(TriageStatus),
        assignee: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
        comment: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
      }),
      response: { 200: Type.Object({ updated: Type.Integer() }), 400: ErrorBody, ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const { ids, status, assignee, comment } = req.body;
    if (status === undefined && assignee === undefined && comment === undefined) return reply.code(400).send({ error: 'nothing to change: give status, assignee or comment' });
    const updated = await store.triage([...new Set(ids)], { status, assignee, comment }, actorOf(req));
    return { updated };
  });
}
