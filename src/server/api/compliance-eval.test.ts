/**
 * Compliance evaluation: the page-sized evaluation (dashboard) gives the same rows, in the same
 * order, as the whole-fleet export, with the fleet-wide counts and total; one server alone is
 * judged the same way. A build directive and a hunt directive, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { syntheticReport } from '../store/seed.js';
import { createTestDatabase, PG_SKIP_MESSAGE } from '../store/test-db.js';
import { evaluateCompliance, evaluateCompliancePage, evaluateServer } from './compliance-eval.js';
import { directiveCatalog } from './directives.js';

const SYSTEM = { kind: 'system', id: null, name: 'test' } as const;
const SERVERS = 7;

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`compliance: a page of rows with fleet-wide counts matches the export (${backend})`, async (t) => {
    const db = await createTestDatabase(backend);
    if (db === null) {
      t.skip(PG_SKIP_MESSAGE);
      return;
    }
    const store = await db.open();
    try {
      for (let i = 0; i < SERVERS; i++) {
        const report = syntheticReport(i, { findings: 1, asOf: i % 2 === 0 ? '2026-11-20' : '2026-09-01' });
        const sha256 = createHash('sha256').update(JSON.stringify(report)).digest('hex');
        await store.ingestReport({ serverName: report.target.hostname ?? `s${i}`, report, sha256, bytes: 1, source: i === 3 ? 'fingerprint' : 'agent', actor: SYSTEM });
      }
      const cat = directiveCatalog({ warn: () => undefined });
      for (const id of ['ED-21-02-SDv2', 'HUNT-30D']) {
        const d = cat.find(id);
        assert.ok(d, id);
        const all = await evaluateCompliance(store, cat, d, '2026-11-27');
        assert.equal(all.servers.length, SERVERS);
        const statuses = new Set(all.servers.map((s) => s.status));
        assert.ok(statuses.size >= 2, `${id}: a mixed fleet (${[...statuses].join(', ')})`);
        const rows = [];
        for (const offset of [0, 3, 6]) {
          const page = await evaluateCompliancePage(store, cat, d, '2026-11-27', { limit: 3, offset });
          assert.equal(page.total, SERVERS, id);
          assert.deepEqual(page.counts, all.counts, `${id}: counts cover the whole fleet`);
          assert.ok(page.servers.length <= 3);
          rows.push(...page.servers);
        }
        assert.deepEqual(rows, all.servers, `${id}: pages concatenate to the export`);
        const beyond = await evaluateCompliancePage(store, cat, d, '2026-11-27', { limit: 3, offset: 50 });
        assert.deepEqual([beyond.servers.length, beyond.total], [0, SERVERS]);
        const third = all.servers[2];
        assert.ok(third);
        const s = await store.server(third.serverId);
        assert.ok(s);
        assert.deepEqual(await evaluateServer(store, cat, d, s, '2026-11-27'), third);
      }
    } finally {
      await store.close();
      await db.dispose();
    }
  });
}
