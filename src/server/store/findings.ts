/**
 * Findings of the fleet: the paginated list (indexed on each filter, sorted by severity then
 * newest evidence), one finding with its comments, and triage (status, assignee, comment) of
 * many findings in one transaction with one audit entry per finding and fresh server summaries.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { severityRank, type Report, type Severity } from '../../findings/types.js';
import { TRIAGE_STATUSES, type Actor, type FindingDetail, type FindingQuery, type Page, type StoredFinding, type TriageChange, type TriageStatus } from './types.js';
import type { FindingsTable, FleetDb } from './schema.js';
import { writeAudit, type AuditInput } from './audit.js';
import { chunks, containsPattern, newId, num, pageBounds, retrying, StoreError, type Db, type StoreContext } from './context.js';
import { applyTotals, groupCounts, lockServers, totalFromCounts } from './finding-totals.js';
import { refreshFindingSummary } from './server-rows.js';

type Row = Omit<FindingsTable, 'created_at' | 'seen_at' | 'severity_rank'> & { server_name: string };

function toStored(r: Row): StoredFinding {
  return {
    id: r.id,
    serverId: r.server_id,
    serverName: r.server_name,
    findingId: r.finding_id,
    ruleId: r.rule_id,
    title: r.title,
    severity: r.severity as Severity,
    category: r.category,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    status: r.status as TriageStatus,
    assignee: r.assignee,
    updatedAt: r.updated_at,
    lastReportId: r.last_report_id,
  };
}

const COLUMNS = [
  'findings.id', 'findings.server_id', 'findings.finding_id', 'findings.rule_id', 'findings.title', 'findings.severity',
  'findings.category', 'findings.first_seen', 'findings.last_seen', 'findings.status', 'findings.assignee',
  'findings.updated_at', 'findings.last_report_id', 'servers.name as server_name',
] as const;

type FindingsQb = SelectQueryBuilder<FleetDb, 'findings', object>;

function textSearch(q: FindingQuery): boolean {
  return q.search !== undefined && q.search !== '';
}

function filtered(ctx: StoreContext, q: FindingQuery): FindingsQb {
  let b: FindingsQb = ctx.db.selectFrom('findings');
  if (q.serverId !== undefined) b = b.where('findings.server_id', '=', q.serverId);
  if (q.status !== undefined) b = b.where('findings.status', '=', q.status);
  if (q.minSeverity !== undefined) b = b.where('findings.severity_rank', '>=', severityRank(q.minSeverity));
  if (q.category !== undefined) b = b.where('findings.category', '=', q.category);
  if (q.search !== undefined && textSearch(q)) {
    const p = containsPattern(q.search);
    // A scan (no text index): SQLite's LIKE ignores ASCII case by itself; PostgreSQL needs ILIKE.
    const like = sql.raw(ctx.dialect === 'postgres' ? 'ilike' : 'like');
    b = b.where(sql<boolean>`(findings.title ${like} ${p} escape '\\' or findings.rule_id ${like} ${p} escape '\\')`);
  }
  return b;
}

/** Fleet-wide lists take their total from the kept counts; a server's or a text search counts rows. */
async function countFindings(ctx: StoreContext, q: FindingQuery): Promise<number> {
  if (q.serverId === undefined && !textSearch(q)) return totalFromCounts(ctx.db, q);
  const r = await filtered(ctx, q).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return num(r?.n);
}

export async function listFindings(ctx: StoreContext, q: FindingQuery): Promise<Page<StoredFinding>> {
  const { limit, offset } = pageBounds(q.limit, q.offset);
  const [rows, total] = await Promise.all([
    filtered(ctx, q).innerJoin('servers', 'servers.id', 'findings.server_id').select(COLUMNS)
      // A text search scans anyway: `+rank` keeps the planner off the order index, whose walk
      // with a row lookup per entry is far slower than scan-and-sort when matches are rare.
      .orderBy(textSearch(q) ? sql`+findings.severity_rank` : sql.ref('findings.severity_rank'), 'desc')
      .orderBy('findings.seen_at', 'desc').orderBy('findings.id', 'desc')
      .limit(limit).offset(offset).execute(),
    countFindings(ctx, q),
  ]);
  return { items: rows.map(toStored), total };
}

/** The finding as last reported: taken from the stored body of its newest report (not kept twice). */
async function reportedFinding(ctx: StoreContext, reportId: string, findingId: string): Promise<Record<string, unknown>> {
  const r = await ctx.db.selectFrom('reports').select('body').where('id', '=', reportId).executeTakeFirst();
  if (r === undefined) return {};
  const report = JSON.parse(r.body) as Report;
  const f = report.findings.find((x) => x.id === findingId);
  return f === undefined ? {} : { ...f };
}

export async function finding(ctx: StoreContext, id: string): Promise<FindingDetail | null> {
  const r = await ctx.db.selectFrom('findings').innerJoin('servers', 'servers.id', 'findings.server_id')
    .select(COLUMNS).where('findings.id', '=', id).executeTakeFirst();
  if (r === undefined) return null;
  const [data, comments] = await Promise.all([
    reportedFinding(ctx, r.last_report_id, r.finding_id),
    ctx.db.selectFrom('finding_comments').select(['at', 'user_name', 'text']).where('finding_pk', '=', id).orderBy('at').orderBy('id').execute(),
  ]);
  return {
    ...toStored(r),
    data,
    comments: comments.map((c) => ({ at: c.at, user: c.user_name, text: c.text })),
  };
}

function checkChange(change: TriageChange): void {
  if (change.status !== undefined && !TRIAGE_STATUSES.includes(change.status)) throw new StoreError('invalid', `status must be one of ${TRIAGE_STATUSES.join(', ')}`);
  if (change.assignee !== undefined && change.assignee !== null && change.assignee.length > 200) throw new StoreError('invalid', 'assignee is at most 200 characters');
  if (change.comment !== undefined && change.comment.length > 10_000) throw new StoreError('invalid', 'a comment is at most 10,000 characters');
}

interface Current {
  readonly id: string;
  readonly server_id: string;
  readonly status: string;
  readonly assignee: string | null;
}

/** The audit details of `change` applied to `r`, or null when it changes nothing. */
function delta(r: Current, change: TriageChange, comment: string): Record<string, unknown> | null {
  const details: Record<string, unknown> = { serverId: r.server_id };
  let changed = comment !== '';
  if (change.status !== undefined && change.status !== r.status) {
    Object.assign(details, { from: r.status, to: change.status });
    changed = true;
  }
  if (change.assignee !== undefined && change.assignee !== r.assignee) {
    Object.assign(details, { assigneeFrom: r.assignee, assigneeTo: change.assignee });
    changed = true;
  }
  if (comment !== '') details.comment = comment;
  return changed ? details : null;
}

/** The servers the findings `ids` belong to. */
async function serversOf(db: Db, ids: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const part of chunks(ids, 500)) {
    for (const r of await db.selectFrom('findings').select('server_id').distinct().where('id', 'in', part).execute()) out.add(r.server_id);
  }
  return [...out];
}

/** Applies one change to many findings; returns how many changed. */
export async function triage(ctx: StoreContext, ids: readonly string[], change: TriageChange, actor: Actor): Promise<number> {
  checkChange(change);
  const comment = change.comment?.trim() ?? '';
  const now = ctx.now().toISOString();
  const set = {
    updated_at: now,
    ...(change.status !== undefined ? { status: change.status } : {}),
    ...(change.assignee !== undefined ? { assignee: change.assignee } : {}),
  };
  const unique = [...new Set(ids)];
  return retrying(() => ctx.db.transaction().execute(async (trx) => {
    let changed = 0;
    const servers: string[] = [];
    const touched = await serversOf(trx, unique);
    await lockServers(trx, touched);
    const before = await groupCounts(trx, touched);
    for (const part of chunks(unique, 500)) {
      const rows = await trx.selectFrom('findings').select(['id', 'server_id', 'status', 'assignee']).where('id', 'in', part).execute();
      const audits: AuditInput[] = [];
      for (const r of rows) {
        const details = delta(r, change, comment);
        if (details !== null) audits.push({ actor, action: 'finding.triaged', targetKind: 'finding', targetId: r.id, details });
        if (details !== null) servers.push(r.server_id);
      }
      const hit = audits.map((a) => a.targetId ?? '');
      if (hit.length === 0) continue;
      await trx.updateTable('findings').set(set).where('id', 'in', hit).execute();
      if (comment !== '') {
        await trx.insertInto('finding_comments').values(hit.map((id) => ({ id: newId(), finding_pk: id, at: now, user_name: actor.name, text: comment }))).execute();
      }
      await writeAudit(ctx, trx, audits);
      changed += hit.length;
    }
    await refreshFindingSummary(trx, servers);
    await applyTotals(trx, before, await groupCounts(trx, touched));
    return changed;
  }));
}
