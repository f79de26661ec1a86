/**
 * Migration 0001: the fleet schema (people, agents, servers with summary columns, reports,
 * findings, comments, audit) and the indexes the overview, server page and findings list need
 * at 10,000 servers and 1,000,000 findings. Portable column types only (see ../schema.ts).
 */
import type { Kysely } from 'kysely';

type Db = Kysely<unknown>;

async function people(db: Db): Promise<void> {
  await db.schema.createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createTable('login_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_key_at').on('login_attempts').columns(['key', 'at']).execute();
  await db.schema.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
  await db.schema.createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

async function agents(db: Db): Promise<void> {
  await db.schema.createTable('enrolment_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('uses_left', 'integer', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createTable('agents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('server_id', 'text', (c) => c.notNull().references('servers.id').onDelete('cascade'))
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('credential_hash', 'text', (c) => c.notNull().unique())
    .addColumn('enrolment_token_id', 'text')
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text')
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('agents_server_id').on('agents').column('server_id').execute();
}

const SERVER_COUNTS = [
  'open_cves', 'open_exploited_cves', 'max_severity', 'max_compromise', 'untriaged', 'findings',
  'open_critical', 'open_high', 'open_medium', 'open_low', 'open_info', 'reports',
] as const;

async function servers(db: Db): Promise<void> {
  let t = db.schema.createTable('servers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('build', 'text')
    .addColumn('build_sort', 'text')
    .addColumn('product', 'text')
    .addColumn('cu', 'text')
    .addColumn('su', 'text')
    .addColumn('supported', 'integer')
    .addColumn('build_source', 'text')
    .addColumn('last_report_at', 'text')
    .addColumn('last_report_id', 'text')
    .addColumn('last_source', 'text');
  for (const col of SERVER_COUNTS) t = t.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  await t.execute();
  // Overview sorts: each key, then the name as tie-breaker.
  for (const col of ['build_sort', 'open_cves', 'open_exploited_cves', 'max_severity', 'untriaged', 'last_report_at']) {
    await db.schema.createIndex(`servers_${col}`).on('servers').columns([col, 'name_key']).execute();
  }
}

async function reports(db: Db): Promise<void> {
  await db.schema.createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('server_id', 'text', (c) => c.notNull().references('servers.id').onDelete('cascade'))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('tool_version', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('findings', 'integer', (c) => c.notNull())
    .addColumn('max_severity', 'integer', (c) => c.notNull())
    .addColumn('open_cves', 'integer', (c) => c.notNull())
    .addColumn('open_exploited_cves', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addUniqueConstraint('reports_server_sha256', ['server_id', 'sha256'])
    .execute();
  await db.schema.createIndex('reports_server_received').on('reports').columns(['server_id', 'received_at']).execute();
  await db.schema.createIndex('reports_received').on('reports').column('received_at').execute();
}

async function findings(db: Db): Promise<void> {
  await db.schema.createTable('findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('server_id', 'text', (c) => c.notNull().references('servers.id').onDelete('cascade'))
    .addColumn('finding_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text')
    .addColumn('last_seen', 'text')
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_report_id', 'text', (c) => c.notNull())
    .addUniqueConstraint('findings_server_finding', ['server_id', 'finding_id'])
    .execute();
  // Findings lists sort by severity, then newest evidence, then id; each filter leads an index.
  const order = ['severity_rank', 'seen_at', 'id'];
  await db.schema.createIndex('findings_server_order').on('findings').columns(['server_id', ...order]).execute();
  await db.schema.createIndex('findings_status_order').on('findings').columns(['status', ...order]).execute();
  await db.schema.createIndex('findings_category_order').on('findings').columns(['category', ...order]).execute();
  await db.schema.createIndex('findings_order').on('findings').columns(order).execute();
  await db.schema.createTable('finding_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('finding_pk', 'text', (c) => c.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('finding_totals')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('finding_totals_pk', ['status', 'severity_rank', 'category'])
    .execute();
  await db.schema.createIndex('finding_comments_finding').on('finding_comments').columns(['finding_pk', 'at']).execute();
}

async function audit(db: Db): Promise<void> {
  await db.schema.createTable('audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_at').on('audit').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_target').on('audit').columns(['target_kind', 'target_id', 'at']).execute();
}

export async function up(db: Db): Promise<void> {
  await people(db);
  await servers(db);
  await agents(db);
  await reports(db);
  await findings(db);
  await audit(db);
}

export async function down(db: Db): Promise<void> {
  for (const t of ['audit', 'finding_totals', 'finding_comments', 'findings', 'reports', 'agents', 'enrolment_tokens', 'servers', 'api_tokens', 'sessions', 'login_attempts', 'users']) {
    await db.schema.dropTable(t).execute();
  }
}
