/**
 * The dashboard's read-only pages (GET). Every page reads one page of data from the store
 * (never the whole fleet) and renders it with a pure function from `pages/`.
 */
import type { FastifyInstance } from 'fastify';
import { CATEGORIES, SEVERITIES } from '../../findings/types.js';
import { requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { decodeCursor, MAX_FINDINGS_OFFSET } from '../store/finding-cursor.js';
import { TRIAGE_STATUSES } from '../store/types.js';
import { renderAudit } from './pages/audit.js';
import { renderFinding } from './pages/finding.js';
import { renderFindings, type FindingFilters } from './pages/findings.js';
import { renderOverview, SERVER_SORT_KEYS, type OverviewFilters } from './pages/overview.js';
import { renderServer } from './pages/server.js';
import { flag, int, oneOf, paging, str, type Query } from './query.js';
import { doneNotice, sendError, sendPage, viewerOf } from './request.js';

const TREND_DAYS = 30;

export function today(opts: ServerOptions): string {
  return opts.asOf?.() ?? new Date().toISOString().slice(0, 10);
}

export function overviewFilters(q: Query): OverviewFilters {
  const sort = oneOf(q, 'sort', SERVER_SORT_KEYS) ?? 'name';
  return { search: str(q, 'search'), minSeverity: oneOf(q, 'minSeverity', SEVERITIES), exposedOnly: flag(q, 'exposed'), sort, desc: flag(q, 'desc'), ...paging(q) };
}

export function findingFilters(q: Query): FindingFilters {
  return {
    serverId: str(q, 'serverId'), status: oneOf(q, 'status', TRIAGE_STATUSES), minSeverity: oneOf(q, 'minSeverity', SEVERITIES),
    category: oneOf(q, 'category', CATEGORIES), search: str(q, 'search'), after: str(q, 'after', 1000), ...paging(q),
  };
}

export function pageRoutes(app: FastifyInstance, opts: ServerOptions): void {
  fleetPageRoutes(app, opts);
  findingPageRoutes(app, opts);
}

function fleetPageRoutes(app: FastifyInstance, opts: ServerOptions): void {
  const { store } = opts;
  const viewer = { preHandler: requireRole('viewer') };

  app.get('/', viewer, async (req, reply) => {
    const f = overviewFilters(req.query as Query);
    const [servers, totals, trend] = await Promise.all([
      store.listServers({ search: f.search, minSeverity: f.minSeverity, exposedOnly: f.exposedOnly, sort: f.sort, desc: f.desc, limit: f.limit, offset: f.offset }),
      store.totals(),
      store.trend(TREND_DAYS, today(opts)),
    ]);
    await sendPage(reply, renderOverview({ viewer: viewerOf(req), filters: f, servers, totals, trend }));
  });

  app.get('/servers/:id', viewer, async (req, reply) => {
    const { id } = req.params as { id: string };
    const q = req.query as Query;
    const server = await store.server(id);
    if (server === null) return sendError(reply, viewerOf(req), 404, 'No such server', 'There is no server with that id.');
    const fp = paging(q, 50, 200);
    const rp = { limit: int(q, 'rlimit', 20, 1, 200), offset: int(q, 'roffset', 0, 0, 100_000_000) };
    const [findings, reports, newestPage] = await Promise.all([
      store.listFindings({ serverId: server.id, limit: fp.limit, offset: Math.min(fp.offset, MAX_FINDINGS_OFFSET) }),
      store.reportsOf(server.id, rp.limit, rp.offset),
      rp.offset === 0 ? null : store.reportsOf(server.id, 1, 0),
    ]);
    const newestId = (newestPage ?? reports).items[0]?.id;
    const newest = newestId === undefined ? null : await store.reportBody(newestId);
    await sendPage(reply, renderServer({ viewer: viewerOf(req), server, newest, findings, findingsPage: fp, reports, reportsPage: rp }));
  });

}

function findingPageRoutes(app: FastifyInstance, opts: ServerOptions): void {
  const { store } = opts;
  const viewer = { preHandler: requireRole('viewer') };

  app.get('/findings', viewer, async (req, reply) => {
    const q = req.query as Query;
    const f = findingFilters(q);
    const after = f.after === undefined ? undefined : decodeCursor(f.after);
    if (after === null) return sendError(reply, viewerOf(req), 400, 'Bad page link', 'That "next" link is not one this server made; start again from the first page.');
    if (f.offset > MAX_FINDINGS_OFFSET) return sendError(reply, viewerOf(req), 400, 'Page too deep', `Pages go up to offset ${MAX_FINDINGS_OFFSET.toLocaleString('en-US')}; follow the "next" links (or narrow the filters) to go further.`);
    const findings = await store.listFindings({ serverId: f.serverId, status: f.status, minSeverity: f.minSeverity, category: f.category, search: f.search, after, limit: f.limit, offset: f.offset });
    await sendPage(reply, renderFindings({ viewer: viewerOf(req), filters: f, findings, notice: doneNotice(q) }));
  });

  app.get('/findings/:id', viewer, async (req, reply) => {
    const { id } = req.params as { id: string };
    const finding = await store.finding(id);
    if (finding === null) return sendError(reply, viewerOf(req), 404, 'No such finding', 'There is no finding with that id.');
    const audit = await store.listAudit({ targetKind: 'finding', targetId: finding.id, limit: 100, offset: 0 });
    await sendPage(reply, renderFinding({ viewer: viewerOf(req), finding, audit, notice: doneNotice(req.query as Query) }));
  });

  app.get('/audit', { preHandler: requireRole('analyst') }, async (req, reply) => {
    const p = paging(req.query as Query, 50, 200);
    const entries = await store.listAudit(p);
    await sendPage(reply, renderAudit({ viewer: viewerOf(req), entries, ...p }));
  });
}
