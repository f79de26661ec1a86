/**
 * Throwaway fleet stores for tests (this module's and the HTTP layer's): SQLite in a temporary
 * folder, or a fresh PostgreSQL database `exhunt_t_<random>` on the server named by
 * EXHUNT_TEST_PG, dropped again by `dispose`. `pgTestUrl()` is null when PostgreSQL is not set up.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type OpenStoreOptions } from './open.js';
import type { KyselyFleetStore } from './fleet-store.js';

export type TestBackend = 'sqlite' | 'postgres';
export const PG_SKIP_MESSAGE = 'PostgreSQL not reachable: set EXHUNT_TEST_PG';

export function pgTestUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const u = env.EXHUNT_TEST_PG;
  return u !== undefined && u !== '' ? u : null;
}

export interface TestDatabase {
  readonly backend: TestBackend;
  /** Where a store opens it: `{ dataDir }` for SQLite, `{ url, dataDir }` for PostgreSQL. */
  readonly options: { readonly url?: string; readonly dataDir: string };
  open(extra?: Omit<OpenStoreOptions, 'url' | 'dataDir'>): Promise<KyselyFleetStore>;
  dispose(): Promise<void>;
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on its own connection (create / drop database cannot run in a pool's transaction). */
export async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A fresh empty database for one test suite; null for PostgreSQL when it is not configured. */
export async function createTestDatabase(backend: TestBackend): Promise<TestDatabase | null> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exhunt-store-'));
  const cleanDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  if (backend === 'sqlite') {
    return { backend, options: { dataDir }, open: (extra) => openStore({ ...extra, dataDir }), dispose: () => Promise.resolve(cleanDir()) };
  }
  const admin = pgTestUrl();
  if (admin === null) {
    cleanDir();
    return null;
  }
  const name = `exhunt_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(admin, `create database ${name}`);
  const url = withDatabase(admin, name);
  return {
    backend,
    options: { url, dataDir },
    open: (extra) => openStore({ ...extra, url, dataDir }),
    dispose: async () => {
      cleanDir();
      await adminQuery(admin, `drop database if exists ${name} with (force)`);
    },
  };
}
