/** The fleet: servers (filtered, sorted, paginated) and one server with its newest posture. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { AnyObject, AUTH_ERRORS, ErrorBody, IdParams, Nullable, PageOf, Paging, ServerSortKey, ServerSummary, Severity } from './schemas.js';

const TAGS = ['servers'];

export function serverRoutes(app: FastifyInstance, opts: ServerOptions): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { store } = opts;

  r.get('/api/v1/servers', {
    preHandler: requireRole('viewer'),
    schema: {
      tags: TAGS, summary: 'Servers with their state after the newest report',
      querystring: Type.Object({
        search: Type.Optional(Type.String({ maxLength: 200 })),
        sort: Type.Optional(ServerSortKey),
        desc: Type.Optional(Type.Boolean()),
        minSeverity: Type.Optional(Severity),
        exposedOnly: Type.Optional(Type.Boolean()),
        ...Paging,
      }),
      response: { 200: PageOf(ServerSummary), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const page = await store.listServers({ search: q.search, sort: q.sort, desc: q.desc, minSeverity: q.minSeverity, exposedOnly: q.exposedOnly,
      limit: q.limit ?? 50, offset: q.offset ?? 0 });
    return { items: [...page.items], total: page.total };
  });

  r.get('/api/v1/servers/:id', {
    preHandler: requireRole('viewer'),
    schema: {
      tags: TAGS, summary: "One server (by id or name) and the posture of its newest report", params: IdParams,
      response: { 200: Type.Object({ ...ServerSummary.properties, posture: Nullable(AnyObject) }), 404: ErrorBody, ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const s = await store.server(req.params.id);
    if (s === null) return reply.code(404).send({ error: 'no such server' });
    const newest = (await store.reportsOf(s.id, 1, 0)).items[0];
    const body = newest !== undefined ? await store.reportBody(newest.id) : null;
    const posture = (body?.posture ?? null) as Record<string, unknown> | null;
    return { ...s, posture };
  });
}
