/**
 * Migration 0003: what the overview, the findings search and the sorted server list need so
 * that no page aggregates the fleet per request (bench/server at 10,000 servers / 1,000,000
 * findings): fleet totals in one row, reports per day, the distinct (rule id, title) pairs of
 * findings, an index for findings by rule id, and server-list indexes for every sort and
 * direction (nulls last on both dialects). The new tables are backfilled from existing rows.
 */
import { sql, type Kysely } from 'kysely';

type Db = Kysely<unknown>;

/** Summary columns kept in descending-order indexes (non-null; see ../fleet-views.ts). */
const DESC_SORTS = ['open_cves', 'open_exploited_cves', 'max_severity', 'untriaged'] as const;
/** Nullable sort columns: `col is null` leads the index so that never-reported servers sort last. */
const NULLABLE_SORTS = ['build_sort', 'last_report_at'] as const;

async function tables(db: Db): Promise<void> {
  let totals = db.schema.createTable('fleet_totals').addColumn('id', 'integer', (c) => c.primaryKey());
  for (const col of ['servers', 'exposed', 'exploited', 'compromised', 'untriaged', 'unsupported', 'open_critical', 'open_high', 'open_medium', 'open_low', 'open_info']) {
    totals = totals.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  }
  await totals.execute();
  await db.schema.createTable('fleet_days')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('reports', 'integer', (c) => c.notNull())
    .addColumn('findings', 'integer', (c) => c.notNull())
    .addColumn('exposed_servers', 'integer', (c) => c.notNull())
    .execute();
  // (day, server) pairs already counted in fleet_days.exposed_servers: a distinct count is not additive.
  await db.schema.createTable('server_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('server_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('server_days_pk', ['day', 'server_id'])
    .execute();
  // *_folded: lower() as the database computes it, so PostgreSQL matches with LIKE what ILIKE
  // matches (ILIKE lower-cases both sides per row: ~5 times slower on ~20,000 pairs).
  await db.schema.createTable('rules')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('rule_folded', 'text', (c) => c.notNull())
    .addColumn('title_folded', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rules_pk', ['rule_id', 'title'])
    .execute();
}

async function indexes(db: Db): Promise<void> {
  await db.schema.createIndex('findings_rule_order').on('findings').columns(['rule_id', 'severity_rank', 'seen_at', 'id']).execute();
  for (const col of DESC_SORTS) {
    await db.schema.createIndex(`servers_${col}_desc`).on('servers').expression(sql`${sql.ref(col)} desc, name_key`).execute();
  }
  for (const col of NULLABLE_SORTS) {
    await db.schema.dropIndex(`servers_${col}`).execute();
    await db.schema.createIndex(`servers_${col}_asc`).on('servers').expression(sql`(${sql.ref(col)} is null), ${sql.ref(col)}, name_key`).execute();
    await db.schema.createIndex(`servers_${col}_desc`).on('servers').expression(sql`(${sql.ref(col)} is null), ${sql.ref(col)} desc, name_key`).execute();
  }
}

/**
 * Fills the kept tables from the rows (emptying them first): also used by bench/server/seed.ts
 * after a bulk load. Compromised = max_compromise >= 3 (severityRank('medium')).
 */
export async function backfill(db: Db): Promise<void> {
  for (const t of ['fleet_totals', 'fleet_days', 'server_days', 'rules']) await sql`delete from ${sql.table(t)}`.execute(db);
  const flag = (cond: string) => sql.raw(`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`);
  const total = (col: string) => sql.raw(`coalesce(sum(${col}), 0)`);
  await sql`insert into fleet_totals (id, servers, exposed, exploited, compromised, untriaged, unsupported, open_critical, open_high, open_medium, open_low, open_info)
    select 1, count(*), ${flag('open_cves > 0')}, ${flag('open_exploited_cves > 0')}, ${flag('max_compromise >= 3')}, ${total('untriaged')},
      ${flag('supported = 0')}, ${total('open_critical')}, ${total('open_high')}, ${total('open_medium')}, ${total('open_low')}, ${total('open_info')}
    from servers`.execute(db);
  await sql`insert into server_days (day, server_id)
    select distinct substr(received_at, 1, 10), server_id from reports where open_cves > 0`.execute(db);
  await sql`insert into fleet_days (day, reports, findings, exposed_servers)
    select substr(received_at, 1, 10), count(*), sum(findings), count(distinct case when open_cves > 0 then server_id end)
    from reports group by substr(received_at, 1, 10)`.execute(db);
  await sql`insert into rules (rule_id, title, rule_folded, title_folded)
    select rule_id, title, lower(rule_id), lower(title) from (select distinct rule_id, title from findings) pairs`.execute(db);
}

export async function up(db: Db): Promise<void> {
  await tables(db);
  await indexes(db);
  await backfill(db);
}

export async function down(db: Db): Promise<void> {
  for (const col of NULLABLE_SORTS) {
    await db.schema.dropIndex(`servers_${col}_asc`).execute();
    await db.schema.dropIndex(`servers_${col}_desc`).execute();
    await db.schema.createIndex(`servers_${col}`).on('servers').columns([col, 'name_key']).execute();
  }
  for (const col of DESC_SORTS) await db.schema.dropIndex(`servers_${col}_desc`).execute();
  await db.schema.dropIndex('findings_rule_order').execute();
  for (const t of ['rules', 'server_days', 'fleet_days', 'fleet_totals']) await db.schema.dropTable(t).execute();
}
