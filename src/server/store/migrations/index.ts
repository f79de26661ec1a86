/**
 * The fleet schema's migrations, in order, for Kysely's Migrator (a static provider: no
 * directory scanning, so the same list works from src/ through tsx and from dist/).
 * Add a migration as `NNNN-name.ts` and list it here; never edit one that has shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-login-failures-index.js';
import * as m0003 from './0003-fleet-rollups.js';
import * as m0004 from './0004-login-slots.js';

const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': m0001,
  '0002-login-failures-index': m0002,
  '0003-fleet-rollups': m0003,
  '0004-login-slots': m0004,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};
