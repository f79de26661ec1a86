/**
 * Brings a seeded bench database to the current schema (migrations, with their backfills) so
 * that timing runs do not pay for it: `npx tsx bench/server/migrate.ts --state FILE`.
 */
import { arg, loadTarget, openBench } from './bench-db.js';

const target = loadTarget(arg('state', ''));
const started = performance.now();
const store = await openBench(target);
await store.migrate();
await store.close();
process.stdout.write(`${JSON.stringify({ step: 'migrate', backend: target.backend, seconds: Math.round((performance.now() - started) / 100) / 10 })}\n`);
