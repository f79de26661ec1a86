/**
 * Compliance page (`/compliance`, viewer+): one directive judged per server by the same
 * evaluation as the API's export (api/compliance-eval.ts); only one page of rows is kept, the
 * counts cover the whole fleet. The directive catalogue is loaded once per app, on first use.
 */
import type { FastifyInstance } from 'fastify';
import { evaluateCompliancePage } from '../api/compliance-eval.js';
import { directiveCatalog, type DirectiveCatalog } from '../api/directives.js';
import { requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { renderCompliance } from './pages/compliance.js';
import { paging, str, type Query } from './query.js';
import { sendPage, viewerOf } from './request.js';
import { today } from './routes-pages.js';

export function complianceRoutes(app: FastifyInstance, opts: ServerOptions, catalog?: () => DirectiveCatalog): void {
  let cat: DirectiveCatalog | null = null;
  const load = catalog ?? ((): DirectiveCatalog => (cat ??= directiveCatalog({ warn: (m) => app.log.warn(m) })));

  app.get('/compliance', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const q = req.query as Query;
    const c = load();
    const wanted = str(q, 'directive', 100);
    const d = (wanted !== undefined ? c.find(wanted) : null) ?? c.all[0] ?? null;
    const p = paging(q, 50, 200);
    const asOf = today(opts);
    const result = d === null ? null : await evaluateCompliancePage(opts.store, c, d, asOf, p);
    await sendPage(reply, renderCompliance({
      viewer: viewerOf(req), directives: c.all.map((x) => c.info(x)), directive: result?.directive ?? null, asOf,
      counts: result?.counts ?? { compliant: 0, notCompliant: 0, unknown: 0 },
      rows: result?.servers ?? [], total: result?.total ?? 0, ...p,
    }));
  });
}
