/**
 * Fleet-wide finding counts per (status, severity, category): at most 4 x 5 x 7 rows, kept
 * exact by applying the before/after difference of each ingest and triage, so that the total
 * of a fleet-wide findings list is a sum over a few rows instead of a count over a million.
 * A change locks its servers' rows first (servers, then findings, then totals: one order), so
 * two changes to one server never count the same difference twice.
 */
import { sql } from 'kysely';
import { severityRank } from '../../findings/types.js';
import type { FindingQuery } from './types.js';
import { chunks, num, type Db } from './context.js';

/** Count per key `status \0 severity_rank \0 category`. */
export type Counts = Map<string, number>;

const SEP = '\u0000';

/** Locks these servers' rows for the rest of the transaction (a portable no-op update, in id order). */
export async function lockServers(db: Db, serverIds: readonly string[]): Promise<void> {
  for (const part of chunks([...new Set(serverIds)].sort(), 500)) {
    await db.updateTable('servers').set({ reports: sql<number>`reports` }).where('id', 'in', part).execute();
  }
}

/** The findings of these servers counted per (status, severity, category). */
export async function groupCounts(db: Db, serverIds: readonly string[]): Promise<Counts> {
  const out: Counts = new Map();
  for (const part of chunks([...new Set(serverIds)], 500)) {
    const rows = await db.selectFrom('findings')
      .select((eb) => ['status', 'severity_rank', 'category', eb.fn.countAll().as('n')])
      .where('server_id', 'in', part)
      .groupBy(['status', 'severity_rank', 'category']).execute();
    for (const r of rows) {
      const k = [r.status, r.severity_rank, r.category].join(SEP);
      out.set(k, (out.get(k) ?? 0) + num(r.n));
    }
  }
  return out;
}

/** Adds `after - before` to the fleet totals (keys in sorted order: one lock order for everyone). */
export async function applyTotals(db: Db, before: Counts, after: Counts): Promise<void> {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const rows = [];
  for (const k of keys) {
    const delta = (after.get(k) ?? 0) - (before.get(k) ?? 0);
    if (delta === 0) continue;
    const [status = '', rank = '0', category = ''] = k.split(SEP);
    rows.push({ status, severity_rank: Number(rank), category, n: delta });
  }
  if (rows.length === 0) return;
  await db.insertInto('finding_totals').values(rows)
    .onConflict((oc) => oc.columns(['status', 'severity_rank', 'category']).doUpdateSet((eb) => ({
      n: eb(eb.ref('finding_totals.n'), '+', eb.ref('excluded.n')),
    })))
    .execute();
}

/** The number of findings matching a fleet-wide query without server or text filters. */
export async function totalFromCounts(db: Db, q: Pick<FindingQuery, 'status' | 'minSeverity' | 'category'>): Promise<number> {
  let b = db.selectFrom('finding_totals').select((eb) => eb.fn.sum('n').as('n'));
  if (q.status !== undefined) b = b.where('status', '=', q.status);
  if (q.minSeverity !== undefined) b = b.where('severity_rank', '>=', severityRank(q.minSeverity));
  if (q.category !== undefined) b = b.where('category', '=', q.category);
  const r = await b.executeTakeFirst();
  return num(r?.n);
}
