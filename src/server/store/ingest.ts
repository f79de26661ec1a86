/**
 * Report ingestion, in one transaction: the server row (created on first sight), the report row
 * (unique per server and body SHA-256: a retried upload is a duplicate, race-safe), the findings
 * upserted per (server, finding id) in batches with their triage state kept, the server's
 * summary columns, and one audit entry.
 */
import { CompiledQuery, type ExpressionBuilder, type OnConflictTables, type OnConflictUpdateDatabase } from 'kysely';
import { SEVERITIES, severityRank, type Finding, type Report, type Severity } from '../../findings/types.js';
import type { Actor, IngestResult } from './types.js';
import type { FindingsTable, FleetDb } from './schema.js';
import { writeAudit } from './audit.js';
import { compareIso } from '../../findings/time.js';
import { applyTotals, groupCounts } from './finding-totals.js';
import { applyShares, countReportDay, recordRules, sharesOf, type Share } from './fleet-rollups.js';
import { chunks, newId, retrying, type Db, type StoreContext } from './context.js';
import { compileShape, paramsOf, type SqlShape } from './sql-cache.js';
import { buildSortKey, ensureServer, plusOne, refreshFindingSummary } from './server-rows.js';

export interface IngestInput {
  readonly serverName: string;
  readonly report: Report;
  readonly sha256: string;
  readonly bytes: number;
  readonly source: 'agent' | 'upload' | 'fingerprint';
  readonly actor: Actor;
}

/** Rows per multi-row INSERT (16 columns: well under SQLite's and PostgreSQL's parameter limits). */
const BATCH = 500;

function rank(s: string): number {
  return (SEVERITIES as readonly string[]).includes(s) ? severityRank(s as Severity) : 0;
}

function findingRow(f: Finding, serverId: string, reportId: string, now: string): FindingsTable {
  const first = f.firstSeen ?? f.time ?? null;
  const last = f.lastSeen ?? f.time ?? null;
  return {
    id: newId(),
    server_id: serverId,
    finding_id: f.id,
    rule_id: f.ruleId,
    title: f.title,
    severity: f.severity,
    severity_rank: rank(f.severity),
    category: f.category,
    first_seen: first,
    last_seen: last,
    seen_at: last ?? first ?? '',
    status: 'new',
    assignee: null,
    created_at: now,
    updated_at: now,
    last_report_id: reportId,
  };
}

/** One row per finding id (the last one wins), sorted so concurrent upserts lock rows in one order. */
function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const byId = new Map<string, Finding>();
  for (const f of findings) byId.set(f.id, f);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

type Eb = ExpressionBuilder<OnConflictUpdateDatabase<FleetDb, 'findings'>, OnConflictTables<'findings'>>;

/** The earlier (or later) of the stored and the incoming time, ignoring nulls; portable SQL. */
function pick(eb: Eb, col: 'first_seen' | 'last_seen', newer: boolean) {
  const stored = eb.ref(`findings.${col}`);
  const incoming = eb.ref(`excluded.${col}`);
  return eb.case()
    .when(eb.or([eb(stored, 'is', null), eb(incoming, newer ? '>' : '<', stored)])).then(incoming)
    .when(eb(incoming, 'is', null)).then(stored)
    .else(stored).end();
}

const FINDING_COLUMNS = [
  'id', 'server_id', 'finding_id', 'rule_id', 'title', 'severity', 'severity_rank', 'category', 'first_seen', 'last_seen',
  'seen_at', 'status', 'assignee', 'created_at', 'updated_at', 'last_report_id',
] as const satisfies readonly (keyof FindingsTable)[];

/** The upsert of `n` finding rows, compiled once per store and row count (see sql-cache.ts). */
function upsertShape(ctx: StoreContext, db: Db, n: number): SqlShape {
  const key = `findings-upsert:${n}`;
  const known = ctx.shapes.get(key);
  if (known !== undefined) return known;
  const shape = compileShape(n, FINDING_COLUMNS, (rows) => db.insertInto('findings').values(rows as unknown as FindingsTable[])
    .onConflict((oc) => oc.columns(['server_id', 'finding_id']).doUpdateSet((eb) => ({
      rule_id: eb.ref('excluded.rule_id'),
      title: eb.ref('excluded.title'),
      severity: eb.ref('excluded.severity'),
      severity_rank: eb.ref('excluded.severity_rank'),
      category: eb.ref('excluded.category'),
      first_seen: pick(eb, 'first_seen', false),
      last_seen: pick(eb, 'last_seen', true),
      seen_at: eb.case().when(eb.ref('excluded.seen_at'), '>', eb.ref('findings.seen_at')).then(eb.ref('excluded.seen_at')).else(eb.ref('findings.seen_at')).end(),
      updated_at: eb.ref('excluded.updated_at'),
      last_report_id: eb.ref('excluded.last_report_id'),
    })))
    .compile());
  ctx.shapes.set(key, shape);
  return shape;
}

async function upsertFindings(ctx: StoreContext, db: Db, rows: readonly FindingsTable[]): Promise<void> {
  for (const batch of chunks(rows, BATCH)) {
    const shape = upsertShape(ctx, db, batch.length);
    await db.executeQuery(CompiledQuery.raw(shape.sql, paramsOf(shape, batch as unknown as Record<string, unknown>[])));
  }
}

/**
 * Remediated findings that come back with newer evidence (a later log line, a re-planted file
 * with a new time) are reopened: marking a web shell remediated must not hide its return. The
 * same historical evidence seen again (old log lines still on disk) leaves the status alone.
 */
async function findReopened(db: Db, serverId: string, findings: readonly Finding[]): Promise<{ id: string; findingId: string; lastSeen: string }[]> {
  const out: { id: string; findingId: string; lastSeen: string }[] = [];
  for (const batch of chunks(findings, BATCH)) {
    const rows = await db.selectFrom('findings').select(['id', 'finding_id', 'last_seen'])
      .where('server_id', '=', serverId).where('status', '=', 'remediated')
      .where('finding_id', 'in', batch.map((f) => f.id)).execute();
    const incoming = new Map(batch.map((f) => [f.id, f.lastSeen ?? f.time ?? null]));
    for (const r of rows) {
      const t = incoming.get(r.finding_id) ?? null;
      if (t !== null && (r.last_seen === null || compareIso(t, r.last_seen) > 0)) out.push({ id: r.id, findingId: r.finding_id, lastSeen: t });
    }
  }
  return out;
}

async function reopen(db: Db, ids: readonly string[], now: string): Promise<void> {
  for (const batch of chunks(ids, BATCH)) {
    await db.updateTable('findings').set({ status: 'new', updated_at: now }).where('id', 'in', batch).execute();
  }
}

function postureColumns(ctx: StoreContext, report: Report) {
  const p = report.posture;
  if (p === null) return {};
  return {
    build: p.build,
    build_sort: buildSortKey(p.build),
    product: p.product,
    cu: p.cu,
    su: p.su,
    supported: p.supported === null ? null : p.supported ? 1 : 0,
    build_source: p.buildSource,
    open_cves: p.openCves.length,
    open_exploited_cves: p.openCves.filter((c) => ctx.exploited(c)).length,
  };
}

export async function ingestReport(ctx: StoreContext, input: IngestInput): Promise<IngestResult> {
  const { report } = input;
  const now = ctx.now().toISOString();
  const findings = uniqueFindings(report.findings);
  const posture = postureColumns(ctx, report);
  return retrying(() => ctx.db.transaction().execute(async (trx) => {
    const { id: serverId, created } = await ensureServer(ctx, trx, input.serverName.trim());
    const reportId = newId();
    const inserted = await trx.insertInto('reports').values({
      id: reportId,
      server_id: serverId,
      received_at: now,
      source: input.source,
      sha256: input.sha256,
      bytes: input.bytes,
      tool_version: report.tool.version,
      as_of: report.asOf,
      findings: report.findings.length,
      max_severity: findings.reduce((m, f) => Math.max(m, rank(f.severity)), 0),
      open_cves: posture.open_cves ?? 0,
      open_exploited_cves: posture.open_exploited_cves ?? 0,
      body: JSON.stringify(report),
    }).onConflict((oc) => oc.columns(['server_id', 'sha256']).doNothing()).returning('id').executeTakeFirst();
    if (inserted === undefined) {
      const old = await trx.selectFrom('reports').select(['id', 'findings'])
        .where('server_id', '=', serverId).where('sha256', '=', input.sha256).executeTakeFirstOrThrow();
      return { reportId: old.id, serverId, duplicate: true, findings: old.findings };
    }
    // The server row first: it serialises changes to this server (see finding-totals.ts).
    const shareBefore = created ? new Map<string, Share>() : await sharesOf(ctx, trx, [serverId], true);
    await trx.updateTable('servers').set({ ...posture, last_report_at: now, last_report_id: reportId, last_source: input.source, reports: plusOne })
      .where('id', '=', serverId).execute();
    const before = await groupCounts(trx, [serverId]);
    const reopened = await findReopened(trx, serverId, findings);
    await upsertFindings(ctx, trx, findings.map((f) => findingRow(f, serverId, reportId, now)));
    await reopen(trx, reopened.map((r) => r.id), now);
    await refreshFindingSummary(trx, [serverId]);
    await applyTotals(trx, before, await groupCounts(trx, [serverId]));
    await applyShares(trx, shareBefore, await sharesOf(ctx, trx, [serverId]));
    await countReportDay(trx, { receivedAt: now, serverId, findings: report.findings.length, openCves: posture.open_cves ?? 0 });
    await recordRules(trx, findings);
    await writeAudit(ctx, trx, [{
      actor: input.actor,
      action: 'report.ingested',
      targetKind: 'report',
      targetId: reportId,
      details: { serverId, serverName: input.serverName, source: input.source, sha256: input.sha256, findings: report.findings.length },
    }, ...reopened.map((r) => ({
      actor: input.actor,
      action: 'finding.reopened',
      targetKind: 'finding',
      targetId: r.id,
      details: { from: 'remediated', to: 'new', reason: 'seen again with newer evidence', findingId: r.findingId, lastSeen: r.lastSeen, reportId },
    }))]);
    return { reportId, serverId, duplicate: false, findings: report.findings.length };
  }));
}
