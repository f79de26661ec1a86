/**
 * Read side of the fleet: the overview (servers with their summary columns, sorted, filtered,
 * paginated), one server, fleet totals, the per-day trend, a server's reports and a report body.
 * Everything here reads the servers table, kept rollups or indexed ranges of reports; never all findings.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { SEVERITIES, severityRank, type Report, type Severity } from '../../findings/types.js';
import type { FleetTotals, FleetTrendPoint, Page, ReportSummary, ServerQuery, ServerSortKey, ServerSummary } from './types.js';
import type { FleetDb, ServerRow, ServersTable } from './schema.js';
import { containsPattern, num, pageBounds, type StoreContext } from './context.js';
import { keptTotals, keptTrend } from './fleet-rollups.js';

/** severityRank → severity (0 → null). */
export function severityOfRank(r: number): Severity | null {
  return SEVERITIES.find((s) => severityRank(s) === r) ?? null;
}

export function toServerSummary(r: ServerRow): ServerSummary {
  return {
    id: r.id,
    name: r.name,
    build: r.build,
    product: r.product,
    cu: r.cu,
    su: r.su,
    supported: r.supported === null ? null : r.supported !== 0,
    buildSource: r.build_source,
    openCves: r.open_cves,
    openExploitedCves: r.open_exploited_cves,
    maxSeverity: severityOfRank(r.max_severity),
    untriaged: r.untriaged,
    findings: r.findings,
    lastReportAt: r.last_report_at,
    reports: r.reports,
    lastSource: r.last_source,
    lastReportId: r.last_report_id,
  };
}

const SORT_COLUMNS: Readonly<Record<ServerSortKey, keyof ServersTable>> = {
  name: 'name_key',
  build: 'build_sort',
  openCves: 'open_cves',
  openExploitedCves: 'open_exploited_cves',
  maxSeverity: 'max_severity',
  untriaged: 'untriaged',
  lastReportAt: 'last_report_at',
};

type ServersQb = SelectQueryBuilder<FleetDb, 'servers', object>;

function filtered(ctx: StoreContext, q: ServerQuery): ServersQb {
  let b: ServersQb = ctx.db.selectFrom('servers');
  if (q.search !== undefined && q.search !== '') b = b.where(sql<boolean>`name_key like ${containsPattern(q.search)} escape '\\'`);
  if (q.minSeverity !== undefined) b = b.where('max_severity', '>=', severityRank(q.minSeverity));
  if (q.exposedOnly === true) b = b.where('open_cves', '>', 0);
  return b;
}

/** The sort of `q` applied to a servers query (both the page of ids and its rows). */
function sorted<O>(b: SelectQueryBuilder<FleetDb, 'servers', O>, q: ServerQuery): SelectQueryBuilder<FleetDb, 'servers', O> {
  const col = SORT_COLUMNS[q.sort ?? 'name'] ?? 'name_key';
  const dir = q.desc === true ? 'desc' : 'asc';
  // Servers never reported (null build / time) sort last either way, on both dialects; each
  // order below has its index (migrations 0001, 0003): `(col is null), col [desc], name_key`,
  // `col [desc], name_key`, or the unique name_key itself (the tie-breaker: no id needed).
  let out = b;
  if (col === 'build_sort' || col === 'last_report_at') out = out.orderBy(sql`(${sql.ref(col)} is null)`, 'asc');
  out = out.orderBy(col, dir);
  return col === 'name_key' ? out : out.orderBy('name_key', 'asc');
}

export async function listServers(ctx: StoreContext, q: ServerQuery): Promise<Page<ServerSummary>> {
  const { limit, offset } = pageBounds(q.limit, q.offset);
  // The page's ids first, then only their rows: a deep page then sorts narrow rows (PostgreSQL
  // chose seq scan + sort at offset 9,950, and whole rows spilled the sort to disk: 62 ms).
  const page = sorted(filtered(ctx, q).select('servers.id'), q).limit(limit).offset(offset);
  const [items, total] = await Promise.all([
    sorted(ctx.db.selectFrom('servers').selectAll().where('id', 'in', page), q).execute(),
    filtered(ctx, q).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return { items: items.map(toServerSummary), total: num(total?.n) };
}

export async function server(ctx: StoreContext, idOrName: string): Promise<ServerSummary | null> {
  const r = await ctx.db.selectFrom('servers').selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name_key', '=', idOrName.toLowerCase())]))
    .orderBy(sql`id = ${idOrName}`, 'desc').executeTakeFirst();
  return r === undefined ? null : toServerSummary(r);
}

/** Fleet totals: one kept row (fleet-rollups.ts), not an aggregate over the servers. */
export function totals(ctx: StoreContext): Promise<FleetTotals> {
  return keptTotals(ctx);
}

/** The per-day trend from the kept day rows (fleet-rollups.ts), not from the reports. */
export function trend(ctx: StoreContext, days: number, asOf: string): Promise<FleetTrendPoint[]> {
  return keptTrend(ctx, days, asOf);
}

export async function reportsOf(ctx: StoreContext, serverId: string, pageLimit: number, pageOffset: number): Promise<Page<ReportSummary>> {
  const { limit, offset } = pageBounds(pageLimit, pageOffset);
  const base = ctx.db.selectFrom('reports').where('server_id', '=', serverId);
  const [rows, total] = await Promise.all([
    base.select(['id', 'server_id', 'received_at', 'source', 'sha256', 'tool_version', 'as_of', 'findings', 'max_severity', 'bytes'])
      .orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return {
    total: num(total?.n),
    items: rows.map((r) => ({
      id: r.id,
      serverId: r.server_id,
      receivedAt: r.received_at,
      source: r.source,
      sha256: r.sha256,
      toolVersion: r.tool_version,
      asOf: r.as_of,
      findings: r.findings,
      maxSeverity: severityOfRank(r.max_severity),
      bytes: r.bytes,
    })),
  };
}

export async function reportBody(ctx: StoreContext, reportId: string): Promise<Report | null> {
  const r = await ctx.db.selectFrom('reports').select('body').where('id', '=', reportId).executeTakeFirst();
  return r === undefined ? null : (JSON.parse(r.body) as Report);
}
