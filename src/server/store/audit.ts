/** The audit log: one row per change of state, written inside the change's own transaction. */
import type { Actor, AuditEntry, Page } from './types.js';
import { newId, num, pageBounds, type Db, type StoreContext } from './context.js';

export interface AuditInput {
  readonly actor: Actor;
  readonly action: string;
  readonly targetKind: string;
  readonly targetId: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

function row(ctx: StoreContext, e: AuditInput, at: string) {
  return {
    id: newId(),
    at,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id,
    actor_name: e.actor.name,
    action: e.action,
    target_kind: e.targetKind,
    target_id: e.targetId,
    details: JSON.stringify(e.details ?? {}),
  };
}

/** Writes audit entries through `db` (a transaction when part of a change). */
export async function writeAudit(ctx: StoreContext, db: Db, entries: readonly AuditInput[]): Promise<void> {
  const at = ctx.now().toISOString();
  for (let i = 0; i < entries.length; i += 500) {
    await db.insertInto('audit').values(entries.slice(i, i + 500).map((e) => row(ctx, e, at))).execute();
  }
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function listAudit(
  ctx: StoreContext,
  q: { readonly limit: number; readonly offset: number; readonly targetKind?: string; readonly targetId?: string },
): Promise<Page<AuditEntry>> {
  const { limit, offset } = pageBounds(q.limit, q.offset);
  let base = ctx.db.selectFrom('audit');
  if (q.targetKind !== undefined) base = base.where('target_kind', '=', q.targetKind);
  if (q.targetId !== undefined) base = base.where('target_id', '=', q.targetId);
  const [rows, total] = await Promise.all([
    base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return {
    total: num(total?.n),
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorKind: r.actor_kind as AuditEntry['actorKind'],
      actorName: r.actor_name,
      action: r.action,
      targetKind: r.target_kind,
      targetId: r.target_id,
      details: parseDetails(r.details),
    })),
  };
}
