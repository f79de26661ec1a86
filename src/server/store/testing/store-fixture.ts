/**
 * One throwaway store per test suite (test-db.ts): created before the suite's tests, closed and
 * dropped after them. `use` receives the open store (suites keep it in their own variable).
 * Also: storing a report as an upload would.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before } from 'node:test';
import type { Report } from '../../../findings/types.js';
import type { KyselyFleetStore } from '../fleet-store.js';
import type { Actor, IngestResult } from '../types.js';
import { createTestDatabase, type TestBackend, type TestDatabase } from '../test-db.js';

export function useTestStore(backend: TestBackend, now: () => Date, use: (store: KyselyFleetStore) => void): void {
  let db: TestDatabase | null = null;
  let store: KyselyFleetStore | undefined;
  before(async () => {
    db = await createTestDatabase(backend);
    assert.ok(db);
    store = await db.open({ now });
    use(store);
  });
  after(async () => {
    await store?.close();
    await db?.dispose();
  });
}

/** Stores `report` for `serverName` as `actor` would upload it (the body's SHA-256 and size). */
export function ingestAs(store: KyselyFleetStore, serverName: string, report: Report, actor: Actor): Promise<IngestResult> {
  const body = JSON.stringify(report);
  const sha256 = createHash('sha256').update(body).digest('hex');
  return store.ingestReport({ serverName, report, sha256, bytes: body.length, source: 'agent', actor });
}
