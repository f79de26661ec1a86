/**
 * Admin pages and actions (admin only): the users list and add-user form, enrolment-token
 * creation (the token is rendered once in the POST response, never put in a URL), and agent
 * revocation. The store writes the audit entries of each change.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole } from '../http/guard.js';
import type { ServerOptions } from '../http/types.js';
import { ROLES, type Role } from '../store/types.js';
import type { Notice } from './layout.js';
import { renderAdmin } from './pages/admin.js';
import { paging, type Query } from './query.js';
import { actorOf, bodyOf, doneNotice, field, sendPage, viewerOf } from './request.js';

/** The API's rules for a new user (UserName in api/schemas.ts, password in api/people.ts). */
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const USER_NAME_MAX = 64;
export const MIN_PASSWORD = 12;

function intField(v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined || !/^\d{1,7}$/.test(v)) return dflt;
  return Math.min(max, Math.max(min, Number(v)));
}

export function adminRoutes(app: FastifyInstance, opts: ServerOptions): void {
  const { store } = opts;
  const admin = { preHandler: requireRole('admin') };

  async function show(req: FastifyRequest, reply: FastifyReply, extra: { notice?: Notice | null; newToken?: { token: string; expiresAt: string } }, status = 200): Promise<void> {
    // FleetStore.listAgents has no paging: the page shows one slice of it.
    const [users, all] = await Promise.all([store.listUsers(), store.listAgents()]);
    const agentsPage = paging(req.query as Query, 100, 500);
    const agents = { items: all.slice(agentsPage.offset, agentsPage.offset + agentsPage.limit), total: all.length };
    await sendPage(reply, renderAdmin({ viewer: viewerOf(req), users, agents, agentsPage, ...extra }), status);
  }

  app.get('/admin', admin, async (req, reply) => show(req, reply, { notice: doneNotice(req.query as Query) }));

  app.post('/admin/users', admin, async (req, reply) => {
    const b = bodyOf(req);
    const name = field(b, 'name', 200) ?? '';
    const role = field(b, 'role', 20) as Role | undefined;
    const password = field(b, 'password', 1024, true) ?? '';
    let problem: string | null = null;
    if (!USER_NAME.test(name) || name.length > USER_NAME_MAX) problem = 'A user name is 1–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.';
    else if (role === undefined || !ROLES.includes(role)) problem = 'Choose a role.';
    else if (password.length < MIN_PASSWORD) problem = `A password has at least ${MIN_PASSWORD} characters.`;
    else if ((await store.listUsers()).some((u) => u.name.toLowerCase() === name.toLowerCase())) problem = 'A user of that name exists.';
    if (problem !== null || role === undefined) return show(req, reply, { notice: { kind: 'error', text: problem ?? 'Choose a role.' } }, 400);
    await store.addUser(name, role, password, actorOf(req));
    return reply.redirect('/admin?done=user-added', 303);
  });

  app.post('/admin/enrolment-tokens', admin, async (req, reply) => {
    const b = bodyOf(req);
    const ttlHours = intField(field(b, 'ttlHours', 10), 24, 1, 720);
    const uses = intField(field(b, 'uses', 10), 1, 1, 10_000);
    const t = await store.createEnrolmentToken(actorOf(req), { ttlSeconds: ttlHours * 3600, uses });
    await show(req, reply, { newToken: { token: t.token, expiresAt: t.expiresAt } }, 201);
  });

  app.post('/admin/agents/:id/revoke', admin, async (req, reply) => {
    const { id } = req.params as { id: string };
    const ok = await store.revokeAgent(id, actorOf(req));
    if (!ok) return show(req, reply, { notice: { kind: 'error', text: 'No such agent.' } }, 404);
    return reply.redirect('/admin?done=agent-revoked', 303);
  });
}
