/**
 * Report upload and retrieval. The upload route checks who uploads and whether there is room
 * before it reads a byte (anonymous: 401, declared size over the limit: 413, too many bytes in
 * flight: 503), reads the raw bytes (size-limited → 413), then has a worker thread hash them
 * (SHA-256: the idempotency key — a retried upload is answered 200 `duplicate`), check their
 * nesting, parse and validate them against schema/report.v1.json (400 with the first problems,
 * 413 when too many findings or too costly; report-check.ts), and stores the report under the
 * server it describes.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Report } from '../../findings/types.js';
import type { ErrorDetail } from '../http/errors.js';
import { requireAgentOrRole, requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { actorOf } from './actor.js';
import { checkReportBytes } from './report-check.js';
import { ReportIntake } from './report-intake.js';
import { AnyObject, AUTH_ERRORS, ErrorBody, IdParams, PageOf, PageQuery, ReportSummary } from './schemas.js';

const TAGS = ['reports'];
const HOST = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

const ReportUpload = Type.Unsafe<Record<string, unknown>>({
  type: 'object', additionalProperties: true,
  description: 'An exhunt report, schema version 1 (schema/report.v1.json in the exhunt package); validated after the bytes are hashed',
});

type Parsed = { readonly ok: true; readonly report: Report } | { readonly ok: false; readonly status: number; readonly details: readonly ErrorDetail[] };

/** Checks and parses an uploaded body on this thread (tools and tests; the route uses the worker pool). */
export function parseReport(bytes: Buffer): Parsed {
  const c = checkReportBytes(bytes);
  if (!c.ok) return { ok: false, status: c.status, details: c.details.length > 0 ? c.details : [{ path: '/', message: c.error }] };
  return { ok: true, report: JSON.parse(bytes.toString('utf8')) as Report };
}

/** Which server a report is filed under: agents always their own host; people may name one. */
function serverNameFor(req: FastifyRequest, report: Report, asked: string | undefined): string | null {
  const p = req.principal;
  if (p?.kind === 'agent') return p.agent.hostname;
  const name = asked ?? report.target.hostname ?? null;
  return name !== null && HOST.test(name) ? name : null;
}

/**
 * Admission of an upload before its body is read (after the auth guard): a declared size over
 * the limit is 413 at once; and the bytes of uploads in progress (declared, or the limit when
 * undeclared) stay within `budget`, else 503 with Retry-After — the first upload always passes.
 */
function admission(maxBytes: number, budget: number) {
  let inFlight = 0;
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) return reply.code(413).header('connection', 'close').send({ error: 'request body too large' });
    const claim = Number.isFinite(declared) && declared >= 0 ? declared : maxBytes;
    if (inFlight > 0 && inFlight + claim > budget) {
      return reply.code(503).header('retry-after', '30').header('connection', 'close').send({ error: 'the server is busy receiving other reports; try again later' });
    }
    inFlight += claim;
    let held = true;
    const release = (): void => {
      if (held) inFlight -= claim;
      held = false;
    };
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
    return undefined;
  };
}

function uploadRoute(app: FastifyInstance, opts: ServerOptions, intake: ReportIntake): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: opts.maxUploadBytes }, (_req, body, done) => done(null, body));
  r.post('/api/v1/reports', {
    // Both before the body is read: who may upload, and whether there is room for the bytes.
    onRequest: [requireAgentOrRole('analyst'), admission(opts.maxUploadBytes, opts.uploadBudgetBytes ?? 4 * opts.maxUploadBytes)],
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
        400: ErrorBody, 413: ErrorBody, 503: ErrorBody, ...AUTH_ERRORS,
      },
    },
  }, async (req, reply) => {
    const bytes: unknown = req.body;
    if (!Buffer.isBuffer(bytes)) return reply.code(400).send({ error: 'expected a JSON body' });
    const checked = await intake.check(bytes);
    if (!checked.ok) {
      if (checked.status === 503) return reply.code(503).header('retry-after', String(checked.retryAfterSeconds)).send({ error: checked.error });
      return reply.code(checked.status).send({ error: checked.error, ...(checked.details.length > 0 ? { details: [...checked.details] } : {}) });
    }
    const report = JSON.parse(bytes.toString('utf8')) as Report;
    const serverName = serverNameFor(req, report, req.query.server);
    if (serverName === null) return reply.code(400).send({ error: 'no usable server name: the report has no valid target.hostname; pass ?server=NAME' });
    const source = req.principal?.kind === 'agent' ? 'agent' : req.query.source ?? 'upload';
    const res = await opts.store.ingestReport({ serverName, report, sha256: checked.sha256, bytes: bytes.length, source, actor: actorOf(req) });
    return reply.code(res.duplicate ? 200 : 201).send(res);
  });
}

export async function reportRoutes(app: FastifyInstance, opts: ServerOptions): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { store } = opts;
  const intake = new ReportIntake(opts.intake);
  app.addHook('onClose', async () => { await intake.close(); });
  await app.register((child, _o, done) => { uploadRoute(child, opts, intake); done(); });

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
