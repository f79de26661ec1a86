/**
 * Server rows: created on first sight by lower-cased name (race-safe: ON CONFLICT DO NOTHING,
 * then read back), and the summary columns recomputed from the server's own findings after an
 * ingest or a triage, so that the overview never aggregates the findings table.
 */
import { sql } from 'kysely';
import { SEVERITIES, severityRank } from '../../findings/types.js';
import { newId, num, StoreError, type Db, type StoreContext } from './context.js';

/**
 * The id of the server named `name` (case-insensitive), creating its row when new; `created`
 * says this transaction created it (the caller counts it in the fleet totals: fleet-rollups.ts).
 */
export async function ensureServer(ctx: StoreContext, db: Db, name: string): Promise<{ id: string; created: boolean }> {
  const key = name.toLowerCase();
  if (key.trim() === '' || key.length > 255) throw new StoreError('invalid', 'a server name is 1-255 characters');
  const inserted = await db.insertInto('servers').values({ id: newId(), name, name_key: key, created_at: ctx.now().toISOString() })
    .onConflict((oc) => oc.column('name_key').doNothing()).returning('id').executeTakeFirst();
  if (inserted !== undefined) return { id: inserted.id, created: true };
  const r = await db.selectFrom('servers').select('id').where('name_key', '=', key).executeTakeFirstOrThrow();
  return { id: r.id, created: false };
}

const CLOSED = ['false_positive', 'remediated'];
const OPEN_COLUMNS = { critical: 'open_critical', high: 'open_high', medium: 'open_medium', low: 'open_low', info: 'open_info' } as const;

/** Recomputes the finding-derived summary columns of these servers from their findings. */
export async function refreshFindingSummary(db: Db, serverIds: readonly string[]): Promise<void> {
  for (const serverId of new Set(serverIds)) {
    const r = await db.selectFrom('findings')
      .select((eb) => {
        const open = eb.not(eb('status', 'in', CLOSED));
        return [
          eb.fn.countAll().as('findings'),
          eb.fn.sum(eb.case().when('status', '=', 'new').then(1).else(0).end()).as('untriaged'),
          eb.fn.max(eb.case().when(open).then(eb.ref('severity_rank')).else(0).end()).as('max_severity'),
          eb.fn.max(eb.case().when(eb.and([open, eb('category', '!=', 'posture')])).then(eb.ref('severity_rank')).else(0).end()).as('max_compromise'),
          ...SEVERITIES.map((s) => eb.fn.sum(eb.case().when(eb.and([open, eb('severity_rank', '=', severityRank(s))])).then(1).else(0).end()).as(s)),
        ];
      })
      .where('server_id', '=', serverId)
      .executeTakeFirst();
    const row = (r ?? {}) as Record<string, unknown>;
    const counts: Record<string, number> = {};
    for (const s of SEVERITIES) counts[OPEN_COLUMNS[s]] = num(row[s]);
    await db.updateTable('servers').set({
      findings: num(row.findings),
      untriaged: num(row.untriaged),
      max_severity: num(row.max_severity),
      max_compromise: num(row.max_compromise),
      ...counts,
    }).where('id', '=', serverId).execute();
  }
}

/** A build number as sortable text: each part zero-padded to 6 digits. */
export function buildSortKey(build: string | null): string | null {
  if (build === null) return null;
  const parts = build.split('.');
  if (!parts.every((p) => /^\d{1,6}$/.test(p))) return build;
  return parts.map((p) => p.padStart(6, '0')).join('.');
}

/** `reports + 1` as an expression (portable). */
export const plusOne = sql<number>`reports + 1`;
