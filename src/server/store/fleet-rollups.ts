/**
 * The overview's numbers kept up to date instead of aggregated per request: the fleet totals
 * (one row, changed by the before/after difference of each server an ingest, triage or
 * enrolment touches), reports per day (with a (day, server) key table, because distinct exposed
 * servers per day do not add up), and the (rule id, title) pairs the findings search reads.
 * Lock order inside a transaction: servers, finding_totals, fleet_totals, fleet_days,
 * server_days, rules (ingest and triage both follow it).
 */
import { sql } from 'kysely';
import type { FleetTotals, FleetTrendPoint } from './types.js';
import type { FleetTotalsTable } from './schema.js';
import { chunks, num, type Db, type StoreContext } from './context.js';

type Counted = Exclude<keyof FleetTotalsTable, 'id'>;
/** One server's share of each fleet total. */
export type Share = Readonly<Record<Counted, number>>;
/** Shares per server id; a server missing from the map counts nothing (not created yet). */
export type Shares = ReadonlyMap<string, Share>;

const COUNTED: readonly Counted[] = ['servers', 'exposed', 'exploited', 'compromised', 'untriaged', 'unsupported', 'open_critical', 'open_high', 'open_medium', 'open_low', 'open_info'];
/** severityRank('medium'): a server with an open non-posture finding this severe is compromised. */
const COMPROMISE_RANK = 3;

const STATE_COLUMNS = ['id', 'open_cves', 'open_exploited_cves', 'max_compromise', 'untriaged', 'supported', 'open_critical', 'open_high', 'open_medium', 'open_low', 'open_info'] as const;

interface StateRow {
  readonly id: string;
  readonly open_cves: number;
  readonly open_exploited_cves: number;
  readonly max_compromise: number;
  readonly untriaged: number;
  readonly supported: number | null;
  readonly open_critical: number;
  readonly open_high: number;
  readonly open_medium: number;
  readonly open_low: number;
  readonly open_info: number;
}

function shareOf(r: StateRow): Share {
  return {
    servers: 1,
    exposed: r.open_cves > 0 ? 1 : 0,
    exploited: r.open_exploited_cves > 0 ? 1 : 0,
    compromised: r.max_compromise >= COMPROMISE_RANK ? 1 : 0,
    untriaged: num(r.untriaged),
    unsupported: r.supported === 0 ? 1 : 0,
    open_critical: num(r.open_critical),
    open_high: num(r.open_high),
    open_medium: num(r.open_medium),
    open_low: num(r.open_low),
    open_info: num(r.open_info),
  };
}

/**
 * The shares of these servers as they stand. `lock`: on PostgreSQL, also lock their rows
 * (SELECT … FOR UPDATE) when the caller has not yet; SQLite transactions are serialised anyway.
 */
export async function sharesOf(ctx: StoreContext, db: Db, serverIds: readonly string[], lock = false): Promise<Map<string, Share>> {
  const out = new Map<string, Share>();
  for (const part of chunks([...new Set(serverIds)].sort(), 500)) {
    let q = db.selectFrom('servers').select(STATE_COLUMNS).where('id', 'in', part).orderBy('id');
    if (lock && ctx.dialect === 'postgres') q = q.forUpdate();
    for (const r of await q.execute()) out.set(r.id, shareOf(r));
  }
  return out;
}

/** Adds `after - before` (summed over servers) to the fleet totals row. */
export async function applyShares(db: Db, before: Shares, after: Shares): Promise<void> {
  const delta = new Map<Counted, number>();
  const add = (s: Share, sign: number): void => {
    for (const k of COUNTED) delta.set(k, (delta.get(k) ?? 0) + sign * s[k]);
  };
  for (const s of before.values()) add(s, -1);
  for (const s of after.values()) add(s, 1);
  const set: Record<string, ReturnType<typeof sql<number>>> = {};
  for (const [k, d] of delta) if (d !== 0) set[k] = sql<number>`${sql.ref(k)} + ${d}`;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('fleet_totals').set(set).where('id', '=', 1).execute();
}

/** The share of a server row just created (no report yet): it counts as a server, nothing else. */
export function newServerShare(): Share {
  return Object.fromEntries(COUNTED.map((k) => [k, k === 'servers' ? 1 : 0])) as Share;
}

export interface ReportDay {
  /** ISO time the report was received; its first 10 characters are the day. */
  readonly receivedAt: string;
  readonly serverId: string;
  readonly findings: number;
  readonly openCves: number;
}

/** Counts one received report in its day (and its server among the day's exposed ones, once). */
export async function countReportDay(db: Db, r: ReportDay): Promise<void> {
  const day = r.receivedAt.slice(0, 10);
  let exposed = 0;
  if (r.openCves > 0) {
    const ins = await db.insertInto('server_days').values({ day, server_id: r.serverId })
      .onConflict((oc) => oc.columns(['day', 'server_id']).doNothing()).returning('day').executeTakeFirst();
    exposed = ins === undefined ? 0 : 1;
  }
  await db.insertInto('fleet_days').values({ day, reports: 1, findings: r.findings, exposed_servers: exposed })
    .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({
      reports: eb(eb.ref('fleet_days.reports'), '+', eb.ref('excluded.reports')),
      findings: eb(eb.ref('fleet_days.findings'), '+', eb.ref('excluded.findings')),
      exposed_servers: eb(eb.ref('fleet_days.exposed_servers'), '+', eb.ref('excluded.exposed_servers')),
    })))
    .execute();
}

/** Records the (rule id, title) pairs of these findings (sorted: one lock order). */
export async function recordRules(db: Db, findings: readonly { readonly ruleId: string; readonly title: string }[]): Promise<void> {
  const pairs = new Map<string, { ruleId: string; title: string }>();
  for (const f of findings) pairs.set(`${f.ruleId}\u0000${f.title}`, { ruleId: f.ruleId, title: f.title });
  const rows = [...pairs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => ({ rule_id: v.ruleId, title: v.title, rule_folded: sql<string>`lower(${v.ruleId})`, title_folded: sql<string>`lower(${v.title})` }));
  for (const part of chunks(rows, 250)) {
    await db.insertInto('rules').values(part).onConflict((oc) => oc.columns(['rule_id', 'title']).doNothing()).execute();
  }
}

export async function keptTotals(ctx: StoreContext): Promise<FleetTotals> {
  const r = await ctx.db.selectFrom('fleet_totals').selectAll().where('id', '=', 1).executeTakeFirst();
  const v = (k: Counted): number => num(r?.[k]);
  return {
    servers: v('servers'),
    exposed: v('exposed'),
    exploitedExposed: v('exploited'),
    compromised: v('compromised'),
    untriaged: v('untriaged'),
    unsupported: v('unsupported'),
    findingsBySeverity: { critical: v('open_critical'), high: v('open_high'), medium: v('open_medium'), low: v('open_low'), info: v('open_info') },
  };
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * One point per day for the `days` days ending on `asOf` (a date or time): reports received,
 * findings they carried, and distinct servers whose report that day had open CVEs.
 */
export async function keptTrend(ctx: StoreContext, days: number, asOf: string): Promise<FleetTrendPoint[]> {
  const n = Math.max(1, Math.min(366, Math.floor(days)));
  const end = new Date(`${asOf.slice(0, 10)}T00:00:00.000Z`);
  if (Number.isNaN(end.getTime())) return [];
  const dayOf = (i: number): string => new Date(end.getTime() - (n - 1 - i) * DAY_MS).toISOString().slice(0, 10);
  const rows = await ctx.db.selectFrom('fleet_days').selectAll()
    .where('day', '>=', dayOf(0)).where('day', '<=', dayOf(n - 1)).execute();
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: n }, (_, i) => {
    const d = dayOf(i);
    const r = byDay.get(d);
    return { day: d, reports: num(r?.reports), findings: num(r?.findings), exposedServers: num(r?.exposed_servers) };
  });
}
