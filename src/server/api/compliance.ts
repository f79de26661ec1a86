/**
 * `GET /api/v1/directives` and `GET /api/v1/compliance?directive=ID`: every server's status
 * against one directive, as JSON or (with `Accept: text/csv` or `format=csv`) as CSV whose
 * cells are neutralised for spreadsheets (src/report/escape.ts csvCell).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { csvCell } from '../../report/escape.js';
import { requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { evaluateCompliance, type ComplianceResult } from './compliance-eval.js';
import type { DirectiveCatalog } from './directives.js';
import { AUTH_ERRORS, ErrorBody, Nullable } from './schemas.js';

const TAGS = ['compliance'];
const Status = Type.Union([Type.Literal('compliant'), Type.Literal('not_compliant'), Type.Literal('unknown')]);
const DirectiveInfo = Type.Object({
  id: Type.String(), name: Type.String(), kind: Type.Union([Type.Literal('build'), Type.Literal('hunt-reported')]),
  deadline: Nullable(Type.String()), maxAgeDays: Nullable(Type.Integer()), summary: Nullable(Type.String()), source: Type.String(),
});
const ComplianceBody = Type.Object({
  directive: DirectiveInfo, asOf: Type.String(), deadline: Nullable(Type.String()), daysLeft: Nullable(Type.Integer()),
  counts: Type.Object({ compliant: Type.Integer(), notCompliant: Type.Integer(), unknown: Type.Integer() }),
  servers: Type.Array(Type.Object({
    server: Type.String(), serverId: Type.String(), status: Status, reason: Type.String(), daysLeft: Nullable(Type.Integer()),
    build: Nullable(Type.String()), lastReportAt: Nullable(Type.String()),
  })),
});

export const CSV_COLUMNS = ['directive', 'as_of', 'deadline', 'server', 'status', 'days_left', 'build', 'last_report_at', 'reason'] as const;

/** The CSV an agency reports from: one row per server. */
export function complianceCsv(r: ComplianceResult): string {
  // Text from reports and data files is neutralised; the numbers are ours (a negative count stays a number).
  const rows = r.servers.map((s) => [csvCell(r.directive.id), r.asOf, r.deadline ?? '', csvCell(s.server), s.status,
    s.daysLeft === null ? '' : String(s.daysLeft), csvCell(s.build ?? ''), csvCell(s.lastReportAt ?? ''), csvCell(s.reason)]);
  return stringify([[...CSV_COLUMNS], ...rows], { quoted_string: true });
}

function wantsCsv(req: FastifyRequest, format: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const accept = req.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function complianceRoutes(app: FastifyInstance, opts: ServerOptions, catalog: () => DirectiveCatalog): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/v1/directives', {
    preHandler: requireRole('viewer'),
    schema: { tags: TAGS, summary: 'Directives the fleet can be judged against', response: { 200: Type.Object({ items: Type.Array(DirectiveInfo) }), ...AUTH_ERRORS } },
  }, () => {
    const cat = catalog();
    return Promise.resolve({ items: cat.all.map((d) => cat.info(d)) });
  });

  r.get('/api/v1/compliance', {
    preHandler: requireRole('viewer'),
    schema: {
      tags: TAGS, summary: "Every server's status against one directive (JSON, or CSV with Accept: text/csv or format=csv)",
      querystring: Type.Object({
        directive: Type.String({ minLength: 1, maxLength: 64 }),
        format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
        asOf: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
      }),
      response: { 200: ComplianceBody, 404: ErrorBody, ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const cat = catalog();
    const d = cat.find(req.query.directive);
    if (d === null) return reply.code(404).send({ error: `unknown directive; known: ${cat.all.map((x) => x.d.id).join(', ')}` });
    const asOf = req.query.asOf ?? opts.asOf?.() ?? today();
    const result = await evaluateCompliance(opts.store, cat, d, asOf);
    if (!wantsCsv(req, req.query.format)) return { ...result, servers: [...result.servers] };
    const name = `compliance-${d.d.id}-${asOf}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`)
      .serializer((p: unknown) => p as string).send(complianceCsv(result) as never);
  });
}
