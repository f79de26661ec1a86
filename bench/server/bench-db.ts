/**
 * Bench databases: an SQLite data folder under the temp dir, or a fresh PostgreSQL database
 * `exhunt_bench_<n>` on the server named by EXHUNT_TEST_PG (created here, dropped by `dropBenchDb`).
 * A bench target is written to a small JSON state file so the seed, latency and ingest steps
 * (separate processes, see run.sh) work on the same database.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/server/store/open.js';
import { adminQuery, pgTestUrl, withDatabase } from '../../src/server/store/test-db.js';
import type { KyselyFleetStore } from '../../src/server/store/fleet-store.js';

export type Backend = 'sqlite' | 'postgres';

export interface BenchTarget {
  readonly backend: Backend;
  readonly dataDir: string;
  /** PostgreSQL only. */
  readonly url?: string;
  readonly database?: string;
}

export function pgAdminUrl(): string {
  const u = pgTestUrl();
  if (u === null) throw new Error('set EXHUNT_TEST_PG=postgres://exhunt:exhunt@127.0.0.1:5432/postgres');
  return u;
}

export async function createBenchDb(backend: Backend): Promise<BenchTarget> {
  const admin = backend === 'postgres' ? pgAdminUrl() : '';
  const dataDir = mkdtempSync(join(tmpdir(), 'exhunt-bench-'));
  if (backend === 'sqlite') return { backend, dataDir };
  const database = `exhunt_bench_${Date.now().toString(36)}_${process.pid}`;
  await adminQuery(admin, `create database ${database}`);
  return { backend, dataDir, url: withDatabase(admin, database), database };
}

export async function dropBenchDb(t: BenchTarget): Promise<void> {
  rmSync(t.dataDir, { recursive: true, force: true });
  if (t.database !== undefined && /^exhunt_bench_[a-z0-9_]+$/.test(t.database)) {
    await adminQuery(pgAdminUrl(), `drop database if exists ${t.database} with (force)`);
  }
}

export function openBench(t: BenchTarget, poolSize?: number): Promise<KyselyFleetStore> {
  return openStore({ dataDir: t.dataDir, ...(t.url !== undefined ? { url: t.url } : {}), ...(poolSize !== undefined ? { poolSize } : {}) });
}

export function saveTarget(file: string, t: BenchTarget): void {
  writeFileSync(file, `${JSON.stringify(t)}\n`, { mode: 0o600 });
}

export function loadTarget(file: string): BenchTarget {
  return JSON.parse(readFileSync(file, 'utf8')) as BenchTarget;
}

/** `--name value` from argv, or the default. */
export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v ?? dflt;
}

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench password for latency runs';

/** p50 / p95 / max of millisecond samples. */
export function percentiles(ms: readonly number[]): { readonly p50: number; readonly p95: number; readonly max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? 0 };
}
