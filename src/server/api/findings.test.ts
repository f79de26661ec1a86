/**
 * GET /api/v1/findings paging: `next` cursors walk the whole list, a malformed or forged
 * `after` is a 400 JSON error (never a 500), and an offset past the cap is a 400 that names
 * the cursor. SQLite only (the store suites cover both dialects).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticReport } from '../store/seed.js';
import { createHarness } from '../http/testing/harness.js';

interface FindingsBody { items: { id: string }[]; total: number; next: string | null }

test('findings API pages by cursor and refuses bad cursors and deep offsets', async () => {
  const h = await createHarness('sqlite');
  assert.ok(h);
  try {
    for (const n of [1, 2]) {
      const up: { statusCode: number; body: string } = await h.as('analyst-token', { method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(syntheticReport(n, { findings: 5 })) });
      assert.equal(up.statusCode, 201, up.body);
    }
    const get = (url: string): Promise<{ statusCode: number; body: string }> => h.as('viewer-token', { method: 'GET', url });
    const all = JSON.parse((await get('/api/v1/findings?limit=500')).body) as FindingsBody;
    assert.equal(all.total, 10);
    assert.equal(all.next, null);
    const seen: string[] = [];
    let url = '/api/v1/findings?limit=3';
    for (;;) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, res.body);
      const body = JSON.parse(res.body) as FindingsBody;
      seen.push(...body.items.map((f) => f.id));
      if (body.next === null) break;
      url = `/api/v1/findings?limit=3&after=${encodeURIComponent(body.next)}`;
    }
    assert.deepEqual(seen, all.items.map((f) => f.id));
    const forged = Buffer.from(JSON.stringify([7, 'x', 'y'])).toString('base64url');
    for (const bad of ['%%%', 'bm90IGpzb24', forged, 'a'.repeat(700)]) {
      const res = await get(`/api/v1/findings?after=${encodeURIComponent(bad)}`);
      assert.equal(res.statusCode, 400, bad);
      assert.ok(typeof (JSON.parse(res.body) as { error?: unknown }).error === 'string');
    }
    const deep = await get('/api/v1/findings?offset=10001');
    assert.equal(deep.statusCode, 400);
    assert.match((JSON.parse(deep.body) as { error: string }).error, /after=/);
    assert.equal((await get('/api/v1/findings?offset=10000')).statusCode, 200);
  } finally {
    await h.close();
  }
});
