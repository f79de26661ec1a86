/**
 * Reusing work the hot write path would redo per report: compiled SQL text per query shape
 * (built once with Kysely, then executed with fresh parameters, never values spliced into
 * SQL), and, for SQLite, prepared better-sqlite3 statements per SQL text (Kysely's driver
 * prepares on every call). Both are bounded LRU maps owned by one open store.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** A Map kept to `max` entries, dropping the least recently used. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * The database as Kysely's SQLite dialect sees it, preparing each SQL text once. Safe with
 * Kysely's driver: one connection, one query at a time (a streaming query holds the connection).
 */
export function cachingSqlite(db: Database, max = 300): SqliteDatabase {
  const statements = new Lru<string, Statement>(max);
  return {
    close: () => { db.close(); },
    prepare: (sql: string) => {
      let s = statements.get(sql);
      if (s === undefined) {
        s = db.prepare(sql);
        statements.set(sql, s);
      }
      return s;
    },
  };
}

/** A compiled query shape: its SQL text and, per parameter, the (row, column) it takes. */
export interface SqlShape {
  readonly sql: string;
  readonly slots: readonly (readonly [number, string])[];
}

/**
 * The shape of a multi-row statement over `rows` rows of `columns`, compiled by `build` from
 * placeholder rows; every parameter must be one of the placeholders (checked), so that
 * `paramsOf` can fill the same SQL from real rows.
 */
export function compileShape(rows: number, columns: readonly string[], build: (placeholders: Record<string, string>[]) => { sql: string; parameters: readonly unknown[] }): SqlShape {
  const mark = (r: number, c: string): string => `\u0000slot:${r}:${c}`;
  const placeholders = Array.from({ length: rows }, (_, r) => Object.fromEntries(columns.map((c) => [c, mark(r, c)])));
  const compiled = build(placeholders);
  const slots = compiled.parameters.map((p) => {
    const m = typeof p === 'string' ? /^\u0000slot:(\d+):(.+)$/.exec(p) : null;
    if (m === null) throw new Error('compileShape: a parameter is not a row value');
    return [Number(m[1]), m[2] ?? ''] as const;
  });
  return { sql: compiled.sql, slots };
}

/** The parameters of `shape` for these rows. */
export function paramsOf(shape: SqlShape, rows: readonly Readonly<Record<string, unknown>>[]): unknown[] {
  return shape.slots.map(([r, c]) => rows[r]?.[c] ?? null);
}
