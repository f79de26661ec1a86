/**
 * Drops a bench database (the PostgreSQL database and/or the SQLite data folder) named in a
 * state file written by seed.ts or ingest.ts.   npx tsx bench/server/drop.ts --state FILE
 */
import { rmSync } from 'node:fs';
import { arg, dropBenchDb, loadTarget } from './bench-db.js';

const state = arg('state', '');
if (state === '') throw new Error('--state FILE is required');
await dropBenchDb(loadTarget(state));
rmSync(state, { force: true });
