/**
 * Opens the fleet store: an SQLite file `<dataDir>/fleet.sqlite` by default (WAL, busy timeout,
 * foreign keys; folder 0700, file 0600), or PostgreSQL from a `postgres://` URL (a pg Pool).
 * Migrates the schema before returning.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import type { FleetDb } from './schema.js';
import type { StoreContext } from './context.js';
import { KyselyFleetStore } from './fleet-store.js';
import { kbExploitedLookup, type ExploitedLookup } from './exploited.js';
import { cachingSqlite, Lru, type SqlShape } from './sql-cache.js';

export const SQLITE_FILE = 'fleet.sqlite';

export interface OpenStoreOptions {
  /** `postgres://…` (or `postgresql://…`); SQLite in `dataDir` when absent. */
  readonly url?: string;
  readonly dataDir: string;
  /** Clock (tests). */
  readonly now?: () => Date;
  /** Exploited-CVE lookup (default: the KB in force, loaded on first use). */
  readonly exploited?: ExploitedLookup;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
}

/** SQLite transactions begin IMMEDIATE: the write lock is taken (or waited for) up front. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config);
  }
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

function openSqlite(dataDir: string): Kysely<FleetDb> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const file = join(dataDir, SQLITE_FILE);
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // An upload touches ~500-900 scattered index pages of a large fleet; with the default
  // checkpoint every 1,000 WAL pages nearly every commit paid a checkpoint (and its fsync).
  // Every 10,000 pages (40 MB), hot pages are written back once for many uploads
  // (bench/server: commit 12.9 -> 8.8 ms per report); the WAL is cut back to 64 MB after.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('cache_size = -32768');
  // Index pages beyond the cache are read through a mapping, not a pread each (~270 per
  // upload at 1M findings).
  db.pragma('mmap_size = 268435456');
  return new Kysely<FleetDb>({ dialect: new ImmediateSqliteDialect({ database: cachingSqlite(db) }) });
}

function openPostgres(url: string, poolSize: number): Kysely<FleetDb> {
  const asNumber = (v: string): number => Number(v);
  // Counts and sums (int8, numeric) as numbers; per pool, not through pg's global parsers.
  const types: pg.CustomTypesConfig = {
    getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC ? asNumber : (pg.types.getTypeParser(oid, format) as unknown)),
  };
  // jit=off: the fleet's queries are short index reads; JIT only adds compile time (~200 ms
  // measured on a 1M-row scan plan in bench/server) and buys nothing for them.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, options: '-c jit=off' });
  // An idle connection that breaks (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return new Kysely<FleetDb>({ dialect: new PostgresDialect({ pool }) });
}

export async function openStore(opts: OpenStoreOptions): Promise<KyselyFleetStore> {
  const url = opts.url;
  if (url !== undefined && url !== '' && !isPostgresUrl(url)) throw new Error('--db takes a postgres:// URL (SQLite is the default, in --data)');
  const postgres = url !== undefined && url !== '';
  const ctx: StoreContext = {
    db: postgres ? openPostgres(url, opts.poolSize ?? 10) : openSqlite(opts.dataDir),
    dialect: postgres ? 'postgres' : 'sqlite',
    now: opts.now ?? (() => new Date()),
    exploited: opts.exploited ?? kbExploitedLookup(),
    shapes: new Lru<string, SqlShape>(1000),
  };
  const store = new KyselyFleetStore(ctx);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
