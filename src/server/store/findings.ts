/**
 * Findings of the fleet: the paginated list (indexed on each filter, sorted by severity then
 * newest evidence), one finding with its comments, and triage (status, assignee, comment) of
 * many findings in one transaction with one audit entry per finding and fresh server summaries.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { severityRank, type Report, type Severity } from '../../findings/types.js';
import { TRIAGE_STATUSES, type Actor, type FindingDetail, type FindingPage, type FindingQuery, type StoredFinding, type TriageChange, type TriageStatus } from './types.js';
import { MAX_FINDINGS_OFFSET } from './finding-cursor.js';
import { matchText, textCondition, type TextMatch } from './finding-search.js';
import type { FindingsTable, FleetDb } from './schema.js';
import { writeAudit, type AuditInput } from './audit.js';
import { chunks, newId, num, pageBounds, retrying, StoreError, type Db, type StoreContext } from './context.js';
import { applyTotals, groupCounts, lockServers, totalFromCounts } from './finding-totals.js';
import { applyShares, sharesOf } from './fleet-rollups.js';
import { refreshFindingSummary } from './server-rows.js';

type Row = Omit<FindingsTable, 'created_at'> & { server_name: string };

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
  'findings.updated_at', 'findings.last_report_id', 'findings.severity_rank', 'findings.seen_at', 'servers.name as server_name',
] as const;

type FindingsQb = SelectQueryBuilder<FleetDb, 'findings', object>;

function filtered(ctx: StoreContext, q: FindingQuery, text: TextMatch | null): FindingsQb {
  let b: FindingsQb = ctx.db.selectFrom('findings');
  if (q.serverId !== undefined) b = b.where('findings.server_id', '=', q.serverId);
  if (q.status !== undefined) b = b.where('findings.status', '=', q.status);
  if (q.minSeverity !== undefined) b = b.where('findings.severity_rank', '>=', severityRank(q.minSeverity));
  if (q.category !== undefined) b = b.where('findings.category', '=', q.category);
  if (text !== null && text.kind !== 'none') b = b.where(textCondition(ctx, text));
  return b;
}

/** Fleet-wide lists take their total from the kept counts; a server's or a text search counts rows. */
async function countFindings(ctx: StoreContext, q: FindingQuery, text: TextMatch | null): Promise<number> {
  if (q.serverId === undefined && text === null) return totalFromCounts(ctx.db, q);
  const r = await filtered(ctx, q, text).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return num(r?.n);
}

/**
 * Most severe, then newest evidence, then id, all descending. `scan`: a text scan anyway;
 * `+rank` keeps the planner off the order index, whose walk with a row lookup per entry is far
 * slower than scan-and-sort when matches are rare.
 */
function orderedDesc<DB, TB extends keyof DB, O>(b: SelectQueryBuilder<DB, TB, O>, scan: boolean): SelectQueryBuilder<DB, TB, O> {
  return b.orderBy(scan ? sql`+findings.severity_rank` : sql`findings.severity_rank`, 'desc')
    .orderBy(sql`findings.seen_at`, 'desc').orderBy(sql`findings.id`, 'desc');
}

const EMPTY: FindingPage = { items: [], total: 0, next: null };

export async function listFindings(ctx: StoreContext, q: FindingQuery): Promise<FindingPage> {
  const { limit, offset } = pageBounds(q.limit, q.offset);
  if (offset > MAX_FINDINGS_OFFSET) throw new StoreError('invalid', `offset is at most ${MAX_FINDINGS_OFFSET.toLocaleString('en-US')}: page further with the cursor of the previous page (after=next)`);
  const text = q.search !== undefined && q.search !== '' ? await matchText(ctx, q.search) : null;
  if (text?.kind === 'none') return EMPTY;
  let ids = filtered(ctx, q, text);
  const a = q.after;
  if (a !== undefined) {
    ids = ids.where((eb) => eb(eb.refTuple('findings.severity_rank', 'findings.seen_at', 'findings.id'), '<', eb.tuple(a.rank, a.seenAt, a.id)));
  }
  // The page's row ids first (from the covering order index, no row read per skipped entry),
  // then only those rows are read and joined to their servers.
  // The outer order is on p's columns, so no planner drives the join by walking the order index.
  const pageIds = orderedDesc(ids.select(['findings.id as pid', 'findings.severity_rank as prank', 'findings.seen_at as pseen']), text?.kind === 'scan')
    .limit(limit + 1).offset(offset);
  const [rows, total] = await Promise.all([
    ctx.db.selectFrom(pageIds.as('p')).innerJoin('findings', 'findings.id', 'p.pid')
      .innerJoin('servers', 'servers.id', 'findings.server_id').select(COLUMNS)
      .orderBy('p.prank', 'desc').orderBy('p.pseen', 'desc').orderBy('p.pid', 'desc').execute(),
    countFindings(ctx, q, text),
  ]);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next = rows.length > limit && last !== undefined ? { rank: last.severity_rank, seenAt: last.seen_at, id: last.id } : null;
  return { items: items.map(toStored), total, next };
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
    const sharesBefore = await sharesOf(ctx, trx, touched);
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
    await applyShares(trx, sharesBefore, await sharesOf(ctx, trx, touched));
    return changed;
  }));
}
