/**
 * Bulk loader for the bench seed: writes servers, reports (with their JSON bodies), findings and
 * one audit entry per report straight into the store's schema in large transactions, with the
 * same column values `ingestReport` derives (see src/server/store/ingest.ts). The summaries and
 * fleet totals are then recomputed by seed.ts. Use `--via ingest` on seed.ts for the real path.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SEVERITIES, severityRank, type Finding, type Report, type Severity } from '../../src/findings/types.js';
import { newId } from '../../src/server/store/context.js';
import { kbExploitedLookup } from '../../src/server/store/exploited.js';
import type { FindingsTable, FleetDb } from '../../src/server/store/schema.js';
import { buildSortKey } from '../../src/server/store/server-rows.js';

const rank = (s: string): number => ((SEVERITIES as readonly string[]).includes(s) ? severityRank(s as Severity) : 0);

function findingRow(f: Finding, serverId: string, reportId: string, now: string): FindingsTable {
  const first = f.firstSeen ?? f.time ?? null;
  const last = f.lastSeen ?? f.time ?? null;
  return {
    id: newId(), server_id: serverId, finding_id: f.id, rule_id: f.ruleId, title: f.title, severity: f.severity,
    severity_rank: rank(f.severity), category: f.category, first_seen: first, last_seen: last, seen_at: last ?? first ?? '',
    status: 'new', assignee: null, created_at: now, updated_at: now, last_report_id: reportId,
  };
}

export interface Reported { readonly host: string; readonly report: Report }

/** Writes one batch of reports (one transaction); returns the number of findings written. */
export async function bulkBatch(db: Kysely<FleetDb>, batch: readonly Reported[], now: string, exploited = kbExploitedLookup()): Promise<number> {
  let n = 0;
  await db.transaction().execute(async (trx) => {
    const servers = [];
    const reports = [];
    const findings: FindingsTable[] = [];
    const audits = [];
    for (const { host, report } of batch) {
      const serverId = newId();
      const reportId = newId();
      const body = JSON.stringify(report);
      const p = report.posture;
      const dedup = new Map(report.findings.map((f) => [f.id, f]));
      const openCves = p?.openCves.length ?? 0;
      const openExploited = p?.openCves.filter((c) => exploited(c)).length ?? 0;
      servers.push({
        id: serverId, name: host, name_key: host.toLowerCase(), created_at: now, build: p?.build ?? null, build_sort: buildSortKey(p?.build ?? null),
        product: p?.product ?? null, cu: p?.cu ?? null, su: p?.su ?? null, supported: p?.supported === null || p === null ? null : p.supported ? 1 : 0,
        build_source: p?.buildSource ?? null, open_cves: openCves, open_exploited_cves: openExploited, last_report_at: now, last_report_id: reportId, last_source: 'agent', reports: 1,
      });
      reports.push({
        id: reportId, server_id: serverId, received_at: now, source: 'agent', sha256: createHash('sha256').update(body).digest('hex'), bytes: Buffer.byteLength(body),
        tool_version: report.tool.version, as_of: report.asOf, findings: report.findings.length, max_severity: Math.max(0, ...report.findings.map((f) => rank(f.severity))),
        open_cves: openCves, open_exploited_cves: openExploited, body,
      });
      for (const f of dedup.values()) findings.push(findingRow(f, serverId, reportId, now));
      audits.push({ id: newId(), at: now, actor_kind: 'system', actor_id: null, actor_name: 'bench-seed', action: 'report.ingested', target_kind: 'report', target_id: reportId, details: JSON.stringify({ serverId, serverName: host, source: 'agent', findings: report.findings.length }) });
    }
    await trx.insertInto('servers').values(servers).execute();
    for (let i = 0; i < reports.length; i += 50) await trx.insertInto('reports').values(reports.slice(i, i + 50)).execute();
    for (let i = 0; i < findings.length; i += 1000) await trx.insertInto('findings').values(findings.slice(i, i + 1000)).execute();
    await trx.insertInto('audit').values(audits).execute();
    n = findings.length;
  });
  return n;
}
