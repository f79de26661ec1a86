/**
 * The fleet database's tables as Kysely sees them. Portable types only, so one code path serves
 * SQLite and PostgreSQL: text ids (random UUIDs), ISO-8601 text times, integer 0/1 booleans,
 * JSON as text. Column names are snake_case; the store maps rows to the camelCase contract.
 */
import type { Generated, Selectable } from 'kysely';

export interface UsersTable {
  id: string;
  name: string;
  /** Lower-cased name: the unique key (names are case-insensitive). */
  name_key: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled: number;
}

export interface LoginAttemptsTable {
  id: string;
  key: string;
  at: string;
  /** 0 failed, 1 succeeded, 2 pending (a reserved slot whose password check has not ended; counts as a failure). */
  success: number;
}

/** One row per rate-limit key: locked while a login attempt is counted and reserved (migration 0004). */
export interface LoginLocksTable {
  key: string;
  touched_at: string;
}

/** Where each user (lower-cased name) last signed in successfully, per address key. */
export interface LoginKnownTable {
  name_key: string;
  address: string;
  last_at: string;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  user_id: string;
  label: string;
  created_at: string;
  revoked: number;
}

export interface EnrolmentTokensTable {
  id: string;
  token_hash: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  uses_left: number;
  revoked: number;
}

export interface AgentsTable {
  id: string;
  server_id: string;
  hostname: string;
  credential_hash: string;
  enrolment_token_id: string | null;
  enrolled_at: string;
  last_seen_at: string | null;
  revoked: number;
}

/** One row per server, with the summary of its newest report and open findings kept up to date. */
export interface ServersTable {
  id: string;
  name: string;
  name_key: string;
  created_at: string;
  build: string | null;
  /** The build with zero-padded parts, so text order is version order. */
  build_sort: string | null;
  product: string | null;
  cu: string | null;
  su: string | null;
  supported: number | null;
  build_source: string | null;
  open_cves: Generated<number>;
  open_exploited_cves: Generated<number>;
  /** severityRank of the highest open finding (0: none). */
  max_severity: Generated<number>;
  /** Like max_severity, over findings other than posture ones: signs of compromise. */
  max_compromise: Generated<number>;
  untriaged: Generated<number>;
  findings: Generated<number>;
  open_critical: Generated<number>;
  open_high: Generated<number>;
  open_medium: Generated<number>;
  open_low: Generated<number>;
  open_info: Generated<number>;
  last_report_at: string | null;
  last_report_id: string | null;
  last_source: string | null;
  reports: Generated<number>;
}

export interface ReportsTable {
  id: string;
  server_id: string;
  received_at: string;
  source: string;
  sha256: string;
  bytes: number;
  tool_version: string;
  as_of: string;
  findings: number;
  max_severity: number;
  open_cves: number;
  open_exploited_cves: number;
  body: string;
}

export interface FindingsTable {
  id: string;
  server_id: string;
  finding_id: string;
  rule_id: string;
  title: string;
  severity: string;
  severity_rank: number;
  category: string;
  first_seen: string | null;
  last_seen: string | null;
  /** lastSeen ?? time ?? firstSeen ?? '' — the sort key of finding lists (never null). */
  seen_at: string;
  status: string;
  assignee: string | null;
  created_at: string;
  updated_at: string;
  last_report_id: string;
}

/** Fleet-wide finding counts per (status, severity, category); see finding-totals.ts. */
export interface FindingTotalsTable {
  status: string;
  severity_rank: number;
  category: string;
  n: number;
}

/** The fleet totals of the overview in one row (id 1), kept by ingest and triage; see fleet-rollups.ts. */
export interface FleetTotalsTable {
  id: number;
  servers: number;
  exposed: number;
  exploited: number;
  compromised: number;
  untriaged: number;
  unsupported: number;
  open_critical: number;
  open_high: number;
  open_medium: number;
  open_low: number;
  open_info: number;
}

/** Reports received per UTC day (`YYYY-MM-DD`), the findings they carried, distinct exposed servers. */
export interface FleetDaysTable {
  day: string;
  reports: number;
  findings: number;
  exposed_servers: number;
}

/** (day, server) pairs already counted in fleet_days.exposed_servers. */
export interface ServerDaysTable {
  day: string;
  server_id: string;
}

/** Every (rule id, title) pair any finding has carried: the findings text search looks here first. */
export interface RulesTable {
  rule_id: string;
  title: string;
  /** lower(rule_id) and lower(title), computed by the database (its own case folding). */
  rule_folded: string;
  title_folded: string;
}

export interface FindingCommentsTable {
  id: string;
  finding_pk: string;
  at: string;
  user_name: string;
  text: string;
}

export interface AuditTable {
  id: string;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_kind: string;
  target_id: string | null;
  details: string;
}

export interface FleetDb {
  users: UsersTable;
  login_attempts: LoginAttemptsTable;
  login_locks: LoginLocksTable;
  login_known: LoginKnownTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  enrolment_tokens: EnrolmentTokensTable;
  agents: AgentsTable;
  servers: ServersTable;
  reports: ReportsTable;
  findings: FindingsTable;
  finding_comments: FindingCommentsTable;
  finding_totals: FindingTotalsTable;
  fleet_totals: FleetTotalsTable;
  fleet_days: FleetDaysTable;
  server_days: ServerDaysTable;
  rules: RulesTable;
  audit: AuditTable;
}

export type ServerRow = Selectable<ServersTable>;
