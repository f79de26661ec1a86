/**
 * Bulk triage from the findings list and the finding page (analyst+): one store call applies
 * status, assignee and comment to every ticked finding (one audit entry per finding), then
 * redirects back to the local page the form came from.
 */
import type { FastifyInstance } from 'fastify';
import { localPath, requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { TRIAGE_STATUSES, type TriageChange, type TriageStatus } from '../store/types.js';
import { withQuery } from './html.js';
import { actorOf, bodyOf, field, fields } from './request.js';

const MAX_IDS = 500;

/** The change a triage form asks for, or null when it asks for none. */
export function triageChange(b: Readonly<Record<string, unknown>>): TriageChange | null {
  const status = field(b, 'status', 30);
  const assignee = field(b, 'assignee', 100);
  const comment = field(b, 'comment', 4000);
  const unassign = field(b, 'unassign', 5) === '1';
  const change: { status?: TriageStatus; assignee?: string | null; comment?: string } = {};
  if (status !== undefined && (TRIAGE_STATUSES as readonly string[]).includes(status)) change.status = status as TriageStatus;
  if (unassign) change.assignee = null;
  else if (assignee !== undefined && assignee !== '') change.assignee = assignee;
  if (comment !== undefined && comment !== '') change.comment = comment;
  return Object.keys(change).length === 0 ? null : change;
}

/** `back` with a `done` parameter added (only local paths; else the findings list). */
export function backWith(back: string | undefined, done: string): string {
  const local = localPath(back ?? null) ?? '/findings';
  const [path = '/findings', query = ''] = local.split('?', 2);
  const params = Object.fromEntries(new URLSearchParams(query));
  delete params['done'];
  return withQuery(path, { ...params, done });
}

export function triageRoutes(app: FastifyInstance, opts: ServerOptions): void {
  app.post('/findings/triage', { preHandler: requireRole('analyst') }, async (req, reply) => {
    const b = bodyOf(req);
    const ids = fields(b, 'ids', MAX_IDS);
    const change = triageChange(b);
    const back = field(b, 'back', 2000);
    if (ids.length === 0 || change === null) return reply.redirect(backWith(back, 'nothing-selected'), 303);
    const n = await opts.store.triage(ids, change, actorOf(req));
    return reply.redirect(backWith(back, `triaged-${n}`), 303);
  });
}
