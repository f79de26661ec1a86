/**
 * The login rate limit's atomic step. `reserveLoginSlot` locks one `login_locks` row per key
 * (in key order, so two attempts never wait on each other crosswise), counts each checked key's
 * failed and pending attempts in the window and, when every checked key is under its limit,
 * inserts a pending attempt per key — all in one transaction. Concurrent attempts on a key, from
 * one process or several on one database, therefore see each other's reservations: however many
 * arrive at once, at most `max` of them get a slot. The caller checks the password only with a
 * slot and then settles it (`settleLoginSlot`: failed or succeeded). A slot whose process died
 * before settling stays pending and counts as a failure until it leaves the window.
 */
import { newId, retrying, StoreError, type StoreContext } from './context.js';

/** A key the attempt is counted under; `max` null: counted, never refused on (see http/login.ts). */
export interface SlotKey {
  readonly key: string;
  readonly max: number | null;
}

export type SlotReservation =
  /** `full`: the checked keys this slot brings to their limit (full should the attempt fail). */
  | { readonly ok: true; readonly slot: readonly string[]; readonly full: readonly string[] }
  | { readonly ok: false; readonly key: string; readonly retryAfterSeconds: number };

/** Attempts, locks and known addresses older than this are pruned. */
const KEEP_MS = 24 * 3600 * 1000;
const KNOWN_KEEP_MS = 90 * 24 * 3600 * 1000;
const FAILED_OR_PENDING = [0, 2];

/**
 * Reserves one attempt slot under every key, or says which key is at its limit and how long
 * until the failure that holds it there leaves the window (1..window seconds).
 */
export async function reserveLoginSlot(ctx: StoreContext, keys: readonly SlotKey[], windowSeconds: number): Promise<SlotReservation> {
  if (!(windowSeconds > 0)) throw new StoreError('invalid', 'windowSeconds must be positive');
  for (const k of keys) {
    if (k.max !== null && (!Number.isInteger(k.max) || k.max < 1)) throw new StoreError('invalid', 'max is a positive integer or null');
  }
  const byKey = new Map<string, number | null>();
  for (const k of keys) {
    const key = k.key.toLowerCase();
    const prev = byKey.get(key);
    byKey.set(key, prev === undefined ? k.max : prev === null ? k.max : k.max === null ? prev : Math.min(prev, k.max));
  }
  const sorted = [...byKey.keys()].sort();
  return retrying(() => ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const nowIso = now.toISOString();
    const windowMs = windowSeconds * 1000;
    const since = new Date(now.getTime() - windowMs).toISOString();
    // The lock: an upsert takes the row's write lock on PostgreSQL (held to commit) and the
    // database's write lock on SQLite (a write first, so the transaction never upgrades a read).
    for (const key of sorted) {
      await trx.insertInto('login_locks').values({ key, touched_at: nowIso })
        .onConflict((oc) => oc.column('key').doUpdateSet({ touched_at: nowIso })).execute();
    }
    let refusal: { key: string; retryAfterSeconds: number } | null = null;
    const full: string[] = [];
    for (const key of sorted) {
      const max = byKey.get(key) ?? null;
      if (max === null) continue;
      // The `max` most recent failed or pending attempts in the window, newest first.
      const recent = await trx.selectFrom('login_attempts').select('at')
        .where('key', '=', key).where('success', 'in', FAILED_OR_PENDING).where('at', '>=', since)
        .orderBy('at', 'desc').limit(max).execute();
      const oldest = recent[max - 1];
      if (oldest === undefined) {
        if (recent.length + 1 === max) full.push(key);
        continue;
      }
      // Free once the failure that keeps the key at the limit leaves the window.
      const left = Math.ceil((Date.parse(oldest.at) + windowMs - now.getTime()) / 1000);
      const wait = Math.max(1, Math.min(windowSeconds, left));
      if (refusal === null || wait > refusal.retryAfterSeconds) refusal = { key, retryAfterSeconds: wait };
    }
    if (refusal !== null) return { ok: false as const, ...refusal };
    const rows = sorted.map((key) => ({ id: newId(now.getTime()), key, at: nowIso, success: 2 }));
    if (rows.length > 0) await trx.insertInto('login_attempts').values(rows).execute();
    return { ok: true as const, slot: rows.map((r) => r.id), full };
  }));
}

/** Settles a reserved slot: the attempt failed or succeeded. Also prunes what has aged out. */
export async function settleLoginSlot(ctx: StoreContext, slot: readonly string[], success: boolean): Promise<void> {
  if (slot.length === 0) return;
  await ctx.db.updateTable('login_attempts').set({ success: success ? 1 : 0 }).where('id', 'in', [...slot]).execute();
  const old = new Date(ctx.now().getTime() - KEEP_MS).toISOString();
  await ctx.db.deleteFrom('login_attempts').where('at', '<', old)
    .where('key', 'in', ctx.db.selectFrom('login_attempts').select('key').where('id', 'in', [...slot])).execute();
  await ctx.db.deleteFrom('login_locks').where('touched_at', '<', old).execute();
}

/** True when `nameKey` signed in successfully from `address` within the last 90 days. */
export async function knownLoginAddress(ctx: StoreContext, nameKey: string, address: string): Promise<boolean> {
  const since = new Date(ctx.now().getTime() - KNOWN_KEEP_MS).toISOString();
  const r = await ctx.db.selectFrom('login_known').select('last_at')
    .where('name_key', '=', nameKey.toLowerCase()).where('address', '=', address).where('last_at', '>=', since).executeTakeFirst();
  return r !== undefined;
}

/** Remembers a successful sign-in of `nameKey` from `address` (and forgets ones older than 90 days). */
export async function rememberLoginAddress(ctx: StoreContext, nameKey: string, address: string): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  await ctx.db.insertInto('login_known').values({ name_key: nameKey.toLowerCase(), address, last_at: at })
    .onConflict((oc) => oc.columns(['name_key', 'address']).doUpdateSet({ last_at: at })).execute();
  const old = new Date(now.getTime() - KNOWN_KEEP_MS).toISOString();
  await ctx.db.deleteFrom('login_known').where('name_key', '=', nameKey.toLowerCase()).where('last_at', '<', old).execute();
}
