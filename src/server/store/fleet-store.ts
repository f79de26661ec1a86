/**
 * The FleetStore over Kysely: one implementation for SQLite and PostgreSQL. Each method
 * delegates to the module of its topic; this class only binds them to one database context.
 */
import { Migrator, sql, type Kysely } from 'kysely';
import type { Report } from '../../findings/types.js';
import type {
  Actor, Agent, AuditEntry, FindingDetail, FindingPage, FindingQuery, FleetStore, FleetTotals, FleetTrendPoint, IngestResult,
  Page, ReportSummary, Role, ServerQuery, ServerSummary, Session, TriageChange, User,
} from './types.js';
import type { FleetDb } from './schema.js';
import type { StoreContext } from './context.js';
import { migrationProvider } from './migrations/index.js';
import * as people from './people.js';
import * as loginLimit from './login-limit.js';
import type { SlotKey, SlotReservation } from './login-limit.js';
import * as agents from './agents.js';
import * as views from './fleet-views.js';
import * as findings from './findings.js';
import { ingestReport, type IngestInput } from './ingest.js';
import { listAudit, writeAudit, type AuditInput } from './audit.js';

export class KyselyFleetStore implements FleetStore {
  readonly dialect: 'sqlite' | 'postgres';
  constructor(private readonly ctx: StoreContext) {
    this.dialect = ctx.dialect;
  }

  /** The Kysely handle (for the seed helper and benchmarks; the app uses the methods). */
  get db(): Kysely<FleetDb> {
    return this.ctx.db;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.ctx.db, provider: migrationProvider });
    // PostgreSQL: Kysely runs the migrations in a transaction under an advisory lock. SQLite:
    // Kysely uses no transaction there, so hold the write lock ourselves (one connection):
    // a second process waits, and a failed migration leaves nothing half done.
    const sqlite = this.ctx.dialect === 'sqlite';
    if (sqlite) await sql`begin immediate`.execute(this.ctx.db);
    const { error, results } = await migrator.migrateToLatest();
    if (sqlite) await sql.raw(error === undefined ? 'commit' : 'rollback').execute(this.ctx.db);
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : 'unknown error'}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.ctx.db.destroy();
  }

  addUser(name: string, role: Role, password: string, actor: Actor): Promise<User> { return people.addUser(this.ctx, name, role, password, actor); }
  verifyPassword(name: string, password: string): Promise<User | null> { return people.verifyPassword(this.ctx, name, password); }
  listUsers(): Promise<readonly User[]> { return people.listUsers(this.ctx); }
  countUsers(): Promise<number> { return people.countUsers(this.ctx); }
  recordLoginAttempt(key: string, success: boolean): Promise<void> { return people.recordLoginAttempt(this.ctx, key, success); }
  failedLoginsSince(key: string, sinceIso: string): Promise<number> { return people.failedLoginsSince(this.ctx, key, sinceIso); }
  nthRecentFailedLogin(key: string, sinceIso: string, n: number): Promise<string | null> { return people.nthRecentFailedLogin(this.ctx, key, sinceIso, n); }
  reserveLoginSlot(keys: readonly SlotKey[], windowSeconds: number): Promise<SlotReservation> { return loginLimit.reserveLoginSlot(this.ctx, keys, windowSeconds); }
  settleLoginSlot(slot: readonly string[], success: boolean): Promise<void> { return loginLimit.settleLoginSlot(this.ctx, slot, success); }
  knownLoginAddress(nameKey: string, address: string): Promise<boolean> { return loginLimit.knownLoginAddress(this.ctx, nameKey, address); }
  rememberLoginAddress(nameKey: string, address: string): Promise<void> { return loginLimit.rememberLoginAddress(this.ctx, nameKey, address); }
  createSession(userId: string, ttlSeconds: number): Promise<{ token: string; session: Session }> { return people.createSession(this.ctx, userId, ttlSeconds); }
  sessionByToken(token: string): Promise<Session | null> { return people.sessionByToken(this.ctx, token); }
  deleteSession(token: string): Promise<void> { return people.deleteSession(this.ctx, token); }
  createApiToken(userId: string, label: string, actor: Actor): Promise<{ token: string; id: string }> { return people.createApiToken(this.ctx, userId, label, actor); }
  userByApiToken(token: string): Promise<User | null> { return people.userByApiToken(this.ctx, token); }

  createEnrolmentToken(actor: Actor, opts: { ttlSeconds: number; uses: number }): Promise<{ token: string; id: string; expiresAt: string }> { return agents.createEnrolmentToken(this.ctx, actor, opts); }
  enrollAgent(token: string, hostname: string): Promise<{ agent: Agent; credential: string } | null> { return agents.enrollAgent(this.ctx, token, hostname); }
  agentByCredential(credential: string): Promise<Agent | null> { return agents.agentByCredential(this.ctx, credential); }
  touchAgent(agentId: string): Promise<string | null> { return agents.touchAgent(this.ctx, agentId); }
  listAgents(): Promise<readonly Agent[]> { return agents.listAgents(this.ctx); }
  revokeAgent(agentId: string, actor: Actor): Promise<boolean> { return agents.revokeAgent(this.ctx, agentId, actor); }

  ingestReport(input: IngestInput): Promise<IngestResult> { return ingestReport(this.ctx, input); }
  reportsOf(serverId: string, limit: number, offset: number): Promise<Page<ReportSummary>> { return views.reportsOf(this.ctx, serverId, limit, offset); }
  reportBody(reportId: string): Promise<Report | null> { return views.reportBody(this.ctx, reportId); }

  listServers(q: ServerQuery): Promise<Page<ServerSummary>> { return views.listServers(this.ctx, q); }
  server(serverIdOrName: string): Promise<ServerSummary | null> { return views.server(this.ctx, serverIdOrName); }
  totals(): Promise<FleetTotals> { return views.totals(this.ctx); }
  trend(days: number, asOf: string): Promise<readonly FleetTrendPoint[]> { return views.trend(this.ctx, days, asOf); }

  listFindings(q: FindingQuery): Promise<FindingPage> { return findings.listFindings(this.ctx, q); }
  finding(id: string): Promise<FindingDetail | null> { return findings.finding(this.ctx, id); }
  triage(ids: readonly string[], change: TriageChange, actor: Actor): Promise<number> { return findings.triage(this.ctx, ids, change, actor); }

  audit(entry: AuditInput): Promise<void> { return writeAudit(this.ctx, this.ctx.db, [entry]); }
  listAudit(q: { limit: number; offset: number; targetKind?: string; targetId?: string }): Promise<Page<AuditEntry>> { return listAudit(this.ctx, q); }
}
