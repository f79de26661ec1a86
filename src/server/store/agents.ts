/**
 * Agents: enrolment tokens (ttl + number of uses, consumed atomically), per-agent credentials
 * (only their SHA-256 stored), revocation. An agent belongs to the server row of its hostname.
 */
import { sql } from 'kysely';
import type { Actor, Agent } from './types.js';
import type { AgentsTable } from './schema.js';
import { writeAudit } from './audit.js';
import { newId, nowIso, StoreError, type StoreContext } from './context.js';
import { newSecret, secretHash } from './secrets.js';
import { ensureServer } from './server-rows.js';
import { applyShares, newServerShare } from './fleet-rollups.js';

function toAgent(r: AgentsTable): Agent {
  return { id: r.id, serverId: r.server_id, hostname: r.hostname, enrolledAt: r.enrolled_at, lastSeenAt: r.last_seen_at, revoked: r.revoked !== 0 };
}

export async function createEnrolmentToken(ctx: StoreContext, actor: Actor, opts: { readonly ttlSeconds: number; readonly uses: number }): Promise<{ token: string; id: string; expiresAt: string }> {
  if (!(opts.ttlSeconds > 0) || !Number.isInteger(opts.uses) || opts.uses < 1) throw new StoreError('invalid', 'an enrolment token needs a positive lifetime and at least one use');
  const now = ctx.now();
  const token = newSecret('enrolment');
  const row = {
    id: newId(),
    token_hash: secretHash(token),
    created_by: actor.name,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + opts.ttlSeconds * 1000).toISOString(),
    uses_left: opts.uses,
    revoked: 0,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('enrolment_tokens').values(row).execute();
    await writeAudit(ctx, trx, [{ actor, action: 'enrolment_token.created', targetKind: 'enrolment_token', targetId: row.id, details: { expiresAt: row.expires_at, uses: opts.uses } }]);
  });
  return { token, id: row.id, expiresAt: row.expires_at };
}

export async function enrollAgent(ctx: StoreContext, token: string, hostname: string): Promise<{ agent: Agent; credential: string } | null> {
  const name = hostname.trim();
  if (name === '' || name.length > 255) throw new StoreError('invalid', 'a hostname is 1-255 characters');
  const now = nowIso(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    // One statement decides: two agents racing for the last use cannot both win.
    const used = await trx.updateTable('enrolment_tokens').set({ uses_left: sql<number>`uses_left - 1` })
      .where('token_hash', '=', secretHash(token)).where('uses_left', '>', 0)
      .where('expires_at', '>', now).where('revoked', '=', 0)
      .returning('id').executeTakeFirst();
    if (used === undefined) return null;
    const { id: serverId, created } = await ensureServer(ctx, trx, name);
    if (created) await applyShares(trx, new Map(), new Map([[serverId, newServerShare()]]));
    const credential = newSecret('agent');
    const row: AgentsTable = { id: newId(), server_id: serverId, hostname: name, credential_hash: secretHash(credential), enrolment_token_id: used.id, enrolled_at: now, last_seen_at: null, revoked: 0 };
    await trx.insertInto('agents').values(row).execute();
    await writeAudit(ctx, trx, [{ actor: { kind: 'agent', id: row.id, name }, action: 'agent.enrolled', targetKind: 'agent', targetId: row.id, details: { hostname: name, serverId, enrolmentTokenId: used.id } }]);
    return { agent: toAgent(row), credential };
  });
}

/** At most one `last_seen_at` write per agent in this long: a busy agent does not write on every request. */
export const TOUCH_INTERVAL_MS = 60_000;

/**
 * Records that an agent was seen now, unless it was already seen within TOUCH_INTERVAL_MS (or is
 * revoked or unknown). The cutoff sits in the UPDATE itself, so processes racing to touch one
 * agent write once. Returns the time written, or null when nothing was written.
 */
export async function touchAgent(ctx: StoreContext, agentId: string): Promise<string | null> {
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString();
  const at = now.toISOString();
  const r = await ctx.db.updateTable('agents').set({ last_seen_at: at })
    .where('id', '=', agentId).where('revoked', '=', 0)
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<=', cutoff)]))
    .returning('id').executeTakeFirst();
  return r === undefined ? null : at;
}

/** The agent holding this credential (not revoked); records when it was last seen (touchAgent's throttle). */
export async function agentByCredential(ctx: StoreContext, credential: string): Promise<Agent | null> {
  const r = await ctx.db.selectFrom('agents').selectAll()
    .where('credential_hash', '=', secretHash(credential)).where('revoked', '=', 0)
    .executeTakeFirst();
  if (r === undefined) return null;
  const agent = toAgent(r);
  const cutoff = ctx.now().getTime() - TOUCH_INTERVAL_MS;
  if (agent.lastSeenAt !== null && Date.parse(agent.lastSeenAt) > cutoff) return agent;
  const seen = await touchAgent(ctx, agent.id);
  return seen === null ? agent : { ...agent, lastSeenAt: seen };
}

export async function listAgents(ctx: StoreContext): Promise<Agent[]> {
  const rows = await ctx.db.selectFrom('agents').selectAll().orderBy('hostname').orderBy('enrolled_at').execute();
  return rows.map(toAgent);
}

export async function revokeAgent(ctx: StoreContext, agentId: string, actor: Actor): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('agents').set({ revoked: 1 }).where('id', '=', agentId).where('revoked', '=', 0)
      .returning(['id', 'hostname']).executeTakeFirst();
    if (r === undefined) return false;
    await writeAudit(ctx, trx, [{ actor, action: 'agent.revoked', targetKind: 'agent', targetId: r.id, details: { hostname: r.hostname } }]);
    return true;
  });
}
