/**
 * What every part of the fleet store shares: the Kysely handle, the dialect, the clock and the
 * KB lookup of exploited CVEs; plus the store's error type and small row conversions.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { FleetDb } from './schema.js';
import type { Lru, SqlShape } from './sql-cache.js';

export type Db = Kysely<FleetDb> | Transaction<FleetDb>;

export interface StoreContext {
  readonly db: Kysely<FleetDb>;
  readonly dialect: 'sqlite' | 'postgres';
  /** The clock (tests move it). */
  readonly now: () => Date;
  /** True when the KB flags the CVE as exploited in the wild or listed in CISA KEV. */
  readonly exploited: (cve: string) => boolean;
  /** Compiled SQL of hot multi-row statements, per shape (sql-cache.ts). */
  readonly shapes: Lru<string, SqlShape>;
}

export type StoreErrorCode = 'exists' | 'invalid' | 'not_found';

/** A refusal the caller can show (duplicate name, too short a password, unknown id). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
  }
}

/** A count or sum as a number (PostgreSQL returns bigint/numeric as strings). */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') return Number(v);
  return 0;
}

export function nowIso(ctx: StoreContext): string {
  return ctx.now().toISOString();
}

/** A LIKE pattern matching `text` anywhere, with `\` escaping the wildcards (use ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Splits `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A new row id: a UUID version 7 (48-bit millisecond time, then random bits), so rows written
 * together sit together in primary-key and id-ordered indexes (fewer pages touched per ingest).
 */
export function newId(now: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | ((b[6] ?? 0) & 0x0f);
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A page size and offset made safe for any database: limit 1..1000, offset 0... */
export function pageBounds(limit: number, offset: number): { limit: number; offset: number } {
  const l = Number.isFinite(limit) ? Math.floor(limit) : 50;
  const o = Number.isFinite(offset) ? Math.floor(offset) : 0;
  return { limit: Math.min(1000, Math.max(1, l)), offset: Math.max(0, o) };
}

/** PostgreSQL deadlock / serialization failure: the transaction may simply be run again. */
function retryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** Runs a transaction function, again (up to 3 times) when PostgreSQL aborted it for a deadlock. */
export async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3 || !retryable(err)) throw err;
    }
  }
}
