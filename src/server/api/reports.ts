/**
 * Report upload and retrieval. The upload route reads the raw bytes (size-limited → 413),
 * hashes them (SHA-256: the idempotency key — a retried upload is answered 200 `duplicate`),
 * parses and validates them against schema/report.v1.json (400 with one detail per problem),
 * then stores the report under the server it describes.
 */
import { createHash } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { validateReport } from '../../findings/schema.js';
import type { Report } from '../../findings/types.js';
import type { ErrorDetail } from '../http/errors.js';
import { requireAgentOrRole, requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { actorOf } from './actor.js';
import { AnyObject, AUTH_ERRORS, ErrorBody, IdParams, PageOf, PageQuery, ReportSummary } from './schemas.js';

const TAGS = ['reports'];
const HOST = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

const ReportUpload = Type.Unsafe<Record<string, unknown>>({
  type: 'object', additionalProperties: true,
  description: 'An exhunt report, schema version 1 (schema/report.v1.json in the exhunt package); validated after the bytes are hashed',
});

type Parsed = { readonly ok: true; readonly report: Report } | { readonly ok: false; readonly details: ErrorDetail[] };

/** Parses and validates an uploaded body; details name the JSON pointer of each problem. */
export function parseReport(bytes: Buffer): Parsed {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { ok: false, details: [{ path: '/', message: `not JSON: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) }] };
  }
  const problems = validateReport(doc);
  if (problems.length > 0) {
    return { ok: false, details: problems.slice(0, 100).map((p) => {
      const i = p.indexOf(': ');
      return i < 0 ? { path: '/', message: p } : { path: p.slice(0, i), message: p.slice(i + 2) };
    }) };
  }
  return { ok: true, report: doc as Report };
}

/** Which server a report is filed under: agents always their own host; people may name one. */
function serverNameFor(req: FastifyRequest, report: Report, asked: string | undefined): string | null {
  const p = req.principal;
  if (p?.kind === 'agent') return p.agent.hostname;
  const name = asked ?? report.target.hostname ?? null;
  return name !== null && HOST.test(name) ? name : null;
}

function uploadRoute(app: FastifyInstance, opts: ServerOptions): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: opts.maxUploadBytes }, (_req, body, done) => done(null, body));
  r.post('/api/v1/reports', {
    preHandler: requireAgentOrRole('analyst'),
    bodyLimit: opts.maxUploadBytes,
    schema: {
      tags: TAGS, summary: 'Upload a report (agents: their own host; analysts and admins: any)',
      querystring: Type.Object({
        server: Type.Optional(Type.String({ minLength: 1, maxLength: 253, pattern: HOST.source })),
        source: Type.Optional(Type.Union([Type.Literal('upload'), Type.Literal('fingerprint')])),
      }),
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) }),
      body: ReportUpload,
      response: {
        200: Type.Object({ reportId: Type.String(), serverId: Type.String(), duplicate: Type.Boolean(), findings: Type.Integer() }, { description: 'already stored (same bytes)' }),
        201: Type.Object({ reportId: Type.String(), serverId: Type.String(), duplicate: Type.Boolean(), findings: Type.Integer() }),
        400: ErrorBody, 413: ErrorBody, ...AUTH_ERRORS,
      },
    },
  }, async (req, reply) => {
    const bytes: unknown = req.body;
    if (!Buffer.isBuffer(bytes)) return reply.code(400).send({ error: 'expected a JSON body' });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const parsed = parseReport(bytes);
    if (!parsed.ok) return reply.code(400).send({ error: 'invalid report', details: parsed.details });
    const serverName = serverNameFor(req, parsed.report, req.query.server);
    if (serverName === null) return reply.code(400).send({ error: 'no usable server name: the report has no valid target.hostname; pass ?server=NAME' });
    const source = req.principal?.kind === 'agent' ? 'agent' : req.query.source ?? 'upload';
    const res = await opts.store.ingestReport({ serverName, report: parsed.report, sha256, bytes: bytes.length, source, actor: actorOf(req) });
    return reply.code(res.duplicate ? 200 : 201).send(res);
  });
}

export async function reportRoutes(app: FastifyInstance, opts: ServerOptions): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { store } = opts;
  await app.register((child, _o, done) => { uploadRoute(child, opts); done(); });

  r.get('/api/v1/reports/:id', {
    preHandler: requireRole('viewer'),
    schema: { tags: TAGS, summary: 'A stored report, as uploaded', params: IdParams, response: { 200: AnyObject, 404: ErrorBody, ...AUTH_ERRORS } },
  }, async (req, reply) => {
    const body = await store.reportBody(req.params.id);
    return body === null ? reply.code(404).send({ error: 'no such report' }) : reply.send(body);
  });

  r.get('/api/v1/servers/:id/reports', {
    preHandler: requireRole('viewer'),
    schema: { tags: TAGS, summary: "A server's reports, newest first", params: IdParams, querystring: PageQuery, response: { 200: PageOf(ReportSummary), 404: ErrorBody, ...AUTH_ERRORS } },
  }, async (req, reply) => {
    const s = await store.server(req.params.id);
    if (s === null) return reply.code(404).send({ error: 'no such server' });
    const page = await store.reportsOf(s.id, req.query.limit ?? 50, req.query.offset ?? 0);
    return { items: [...page.items], total: page.total };
  });
}
