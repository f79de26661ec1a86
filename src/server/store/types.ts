/**
 * The fleet store's contract: what the HTTP layer (API, dashboard) may ask of the database.
 * One implementation (`store/fleet-store.ts`) serves SQLite and PostgreSQL through Kysely.
 * Every method is safe to call from several `exhunt serve` processes on one PostgreSQL
 * database: no state lives in the process.
 *
 * Times are ISO-8601 UTC strings. Ids are opaque strings (random UUIDs).
 */
import type { Report, Severity } from '../../findings/types.js';
import type { FindingCursor } from './finding-cursor.js';

export type Role = 'admin' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

export type TriageStatus = 'new' | 'confirmed' | 'false_positive' | 'remediated';
export const TRIAGE_STATUSES: readonly TriageStatus[] = ['new', 'confirmed', 'false_positive', 'remediated'];

/** Who did something: written into the audit log with every change of state. */
export type Actor =
  | { readonly kind: 'user'; readonly id: string; readonly name: string }
  | { readonly kind: 'agent'; readonly id: string; readonly name: string }
  | { readonly kind: 'system'; readonly id: null; readonly name: string };

export interface User {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly disabled: boolean;
}

export interface Session {
  readonly id: string;
  readonly user: User;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface Agent {
  readonly id: string;
  readonly serverId: string;
  readonly hostname: string;
  readonly enrolledAt: string;
  readonly lastSeenAt: string | null;
  readonly revoked: boolean;
}

/** One row of the fleet overview: the server's state after its newest report. */
export interface ServerSummary {
  readonly id: string;
  readonly name: string;
  readonly build: string | null;
  readonly product: string | null;
  readonly cu: string | null;
  readonly su: string | null;
  readonly supported: boolean | null;
  readonly buildSource: string | null;
  /** Open CVEs on the newest report; exploited ones are those flagged exploited in the KB. */
  readonly openCves: number;
  readonly openExploitedCves: number;
  /** Highest severity among the server's findings that are not false_positive/remediated; null when none. */
  readonly maxSeverity: Severity | null;
  readonly untriaged: number;
  readonly findings: number;
  readonly lastReportAt: string | null;
  readonly reports: number;
  /** 'agent' | 'upload' | 'fingerprint' — how the newest report arrived. */
  readonly lastSource: string | null;
  /** Additive (store): id of the newest report (its posture: reportBody(lastReportId)). */
  readonly lastReportId?: string | null;
}

export type ServerSortKey = 'name' | 'build' | 'openCves' | 'openExploitedCves' | 'maxSeverity' | 'untriaged' | 'lastReportAt';

export interface ServerQuery {
  readonly search?: string;
  /** Only servers whose highest open finding is at least this severe. */
  readonly minSeverity?: Severity;
  readonly exposedOnly?: boolean;
  readonly sort?: ServerSortKey;
  readonly desc?: boolean;
  readonly limit: number;
  readonly offset: number;
}

export interface FleetTotals {
  readonly servers: number;
  readonly exposed: number;
  readonly exploitedExposed: number;
  readonly compromised: number;
  readonly untriaged: number;
  readonly unsupported: number;
  readonly findingsBySeverity: Readonly<Record<Severity, number>>;
}

/** One point of the overview charts: per day, servers with open CVEs and findings received. */
export interface FleetTrendPoint {
  readonly day: string;
  readonly reports: number;
  readonly findings: number;
  readonly exposedServers: number;
}

export interface ReportSummary {
  readonly id: string;
  readonly serverId: string;
  readonly receivedAt: string;
  readonly source: string;
  readonly sha256: string;
  readonly toolVersion: string;
  readonly asOf: string;
  readonly findings: number;
  readonly maxSeverity: Severity | null;
  readonly bytes: number;
}

export interface StoredFinding {
  readonly id: string;
  readonly serverId: string;
  readonly serverName: string;
  /** The finding's own id from the report (stable across reports of one server). */
  readonly findingId: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly status: TriageStatus;
  readonly assignee: string | null;
  readonly updatedAt: string;
  readonly lastReportId: string;
}

export interface FindingQuery {
  readonly serverId?: string;
  readonly status?: TriageStatus;
  readonly minSeverity?: Severity;
  readonly category?: string;
  readonly search?: string;
  /** Additive: start after this row (the `next` of the previous page); `offset` then counts from it. */
  readonly after?: FindingCursor;
  readonly limit: number;
  /** At most MAX_FINDINGS_OFFSET (finding-cursor.ts); deeper pages go by cursor. */
  readonly offset: number;
}

/** Additive: a findings page with the cursor of the page after it (null on the last page). */
export interface FindingPage extends Page<StoredFinding> {
  readonly next: FindingCursor | null;
}

export interface FindingDetail extends StoredFinding {
  /** The whole finding as last reported (attacker-controlled strings inside: escape on output). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly comments: readonly { readonly at: string; readonly user: string; readonly text: string }[];
}

export interface TriageChange {
  readonly status?: TriageStatus;
  readonly assignee?: string | null;
  readonly comment?: string;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly actorKind: Actor['kind'];
  readonly actorName: string;
  readonly action: string;
  readonly targetKind: string;
  readonly targetId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface IngestResult {
  readonly reportId: string;
  readonly serverId: string;
  /** True when the same report (same server, same SHA-256 of the body) was already stored. */
  readonly duplicate: boolean;
  readonly findings: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
}

export interface FleetStore {
  /** Applies pending migrations (idempotent; safe when two processes start together). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  readonly dialect: 'sqlite' | 'postgres';

  // People
  addUser(name: string, role: Role, password: string, actor: Actor): Promise<User>;
  /** Verifies a password (constant-time, memory-hard hash); null when wrong or disabled. */
  verifyPassword(name: string, password: string): Promise<User | null>;
  listUsers(): Promise<readonly User[]>;
  countUsers(): Promise<number>;

  // Login rate limiting (shared by every process through the database)
  /** Records one login attempt for `key` (a user name or a client address). */
  recordLoginAttempt(key: string, success: boolean): Promise<void>;
  /** Failed (or pending) attempts for `key` at or after `sinceIso`. */
  failedLoginsSince(key: string, sinceIso: string): Promise<number>;
  /**
   * Additive: the time of the `n`-th most recent failed attempt for `key` at or after `sinceIso`,
   * null when fewer; a key limited to `n` failures per window is free one window after it.
   */
  nthRecentFailedLogin(key: string, sinceIso: string, n: number): Promise<string | null>;
  /**
   * Additive: the atomic check-and-count. Reserves one pending attempt under every key when each
   * key with a `max` has fewer than `max` failed or pending attempts in the window, else says
   * which key is full and the seconds until it frees (1..window); `full` lists the keys this slot
   * fills should the attempt fail. Concurrent calls on one key,
   * from any process on the database, are counted one after another (see login-limit.ts).
   */
  reserveLoginSlot(keys: readonly { readonly key: string; readonly max: number | null }[], windowSeconds: number): Promise<
    { readonly ok: true; readonly slot: readonly string[]; readonly full: readonly string[] } | { readonly ok: false; readonly key: string; readonly retryAfterSeconds: number }>;
  /** Additive: settles a reserved slot once the secret was checked (a failure keeps counting). */
  settleLoginSlot(slot: readonly string[], success: boolean): Promise<void>;
  /** Additive: true when the user (lower-cased name) signed in from this address key within 90 days. */
  knownLoginAddress(nameKey: string, address: string): Promise<boolean>;
  /** Additive: remembers a successful sign-in of the user from this address key. */
  rememberLoginAddress(nameKey: string, address: string): Promise<void>;

  // Sessions (the cookie holds a random token; only its hash is stored)
  createSession(userId: string, ttlSeconds: number): Promise<{ readonly token: string; readonly session: Session }>;
  sessionByToken(token: string): Promise<Session | null>;
  deleteSession(token: string): Promise<void>;

  // API tokens for people (bearer; only the hash stored)
  createApiToken(userId: string, label: string, actor: Actor): Promise<{ readonly token: string; readonly id: string }>;
  userByApiToken(token: string): Promise<User | null>;

  // Agents
  createEnrolmentToken(actor: Actor, opts: { readonly ttlSeconds: number; readonly uses: number }): Promise<{ readonly token: string; readonly id: string; readonly expiresAt: string }>;
  /** Consumes one use of an enrolment token; null when unknown, expired, used up or revoked. */
  enrollAgent(token: string, hostname: string): Promise<{ readonly agent: Agent; readonly credential: string } | null>;
  /** The agent holding this credential (not revoked); touches its `lastSeenAt` (see touchAgent). */
  agentByCredential(credential: string): Promise<Agent | null>;
  /**
   * Additive: records that the agent was seen now — at most one write per agent per minute
   * (a no-op, returning null, when seen more recently, revoked or unknown); the time written otherwise.
   */
  touchAgent(agentId: string): Promise<string | null>;
  listAgents(): Promise<readonly Agent[]>;
  revokeAgent(agentId: string, actor: Actor): Promise<boolean>;

  // Reports
  /**
   * Stores a schema-valid report for `serverName` (created on first sight). Idempotent: the
   * same body (by SHA-256 of its bytes) for the same server returns the stored report with
   * `duplicate: true`. Findings are upserted per (server, finding id); triage state survives.
   */
  ingestReport(input: { readonly serverName: string; readonly report: Report; readonly sha256: string; readonly bytes: number; readonly source: 'agent' | 'upload' | 'fingerprint'; readonly actor: Actor }): Promise<IngestResult>;
  reportsOf(serverId: string, limit: number, offset: number): Promise<Page<ReportSummary>>;
  /** The report as uploaded (parsed JSON), for the server page and export. */
  reportBody(reportId: string): Promise<Report | null>;

  // Fleet views
  listServers(q: ServerQuery): Promise<Page<ServerSummary>>;
  server(serverIdOrName: string): Promise<ServerSummary | null>;
  totals(): Promise<FleetTotals>;
  trend(days: number, asOf: string): Promise<readonly FleetTrendPoint[]>;

  // Findings and triage
  listFindings(q: FindingQuery): Promise<FindingPage>;
  finding(id: string): Promise<FindingDetail | null>;
  /** Applies one change to many findings in one transaction, with one audit entry per finding. */
  triage(ids: readonly string[], change: TriageChange, actor: Actor): Promise<number>;

  // Audit
  audit(entry: { readonly actor: Actor; readonly action: string; readonly targetKind: string; readonly targetId: string | null; readonly details?: Record<string, unknown> }): Promise<void>;
  listAudit(q: { readonly limit: number; readonly offset: number; readonly targetKind?: string; readonly targetId?: string }): Promise<Page<AuditEntry>>;
}
