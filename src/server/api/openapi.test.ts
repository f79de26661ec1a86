/**
 * The OpenAPI document is generated from the route schemas: it lists every API route of the
 * spec (method and path), each documented path exists in the app, and every route documents
 * its success and error responses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../app.js';
import { serverOptions } from '../http/testing/harness.js';
import { createTestDatabase } from '../store/test-db.js';

/** The API of the fleet spec (issue #8), plus the directive list the compliance page uses. */
const SPEC_ROUTES = [
  'GET /healthz', 'GET /api/v1/openapi.json', 'POST /api/v1/login', 'POST /api/v1/logout', 'POST /api/v1/tokens', 'GET /api/v1/me',
  'POST /api/v1/enrolment-tokens', 'POST /api/v1/agents/enroll', 'GET /api/v1/agents', 'POST /api/v1/agents/{id}/revoke',
  'POST /api/v1/reports', 'GET /api/v1/servers', 'GET /api/v1/servers/{id}', 'GET /api/v1/servers/{id}/reports', 'GET /api/v1/reports/{id}',
  'GET /api/v1/findings', 'GET /api/v1/findings/{id}', 'PATCH /api/v1/findings', 'GET /api/v1/compliance', 'GET /api/v1/directives',
  'GET /api/v1/audit', 'GET /api/v1/users', 'POST /api/v1/users',
];

interface Doc { openapi: string; paths: Record<string, Record<string, { responses?: Record<string, unknown>; summary?: string }>> }

test('OpenAPI document lists every route', async () => {
  const db = await createTestDatabase('sqlite');
  assert.ok(db !== null);
  const store = await db.open();
  const app = await buildApp(serverOptions(store));
  try {
    const r = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(r.statusCode, 200);
    const doc = JSON.parse(r.body) as Doc;
    assert.match(doc.openapi, /^3\./);
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const route of SPEC_ROUTES) assert.ok(listed.includes(route), `${route} missing from the OpenAPI document`);
    for (const route of listed) {
      const [method = '', path = ''] = route.split(' ');
      assert.ok(app.hasRoute({ method, url: path.replace(/\{(\w+)\}/g, ':$1') }), `${route} documented but not served`);
    }
    assert.ok(!listed.some((x) => x.includes(' /login') || x.includes(' /static')), 'dashboard pages stay out of the API document');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        assert.ok(op.summary, `${m} ${path} has a summary`);
        if (path !== '/api/v1/openapi.json') assert.ok(Object.keys(op.responses ?? {}).some((c) => /^2/.test(c)), `${m} ${path} documents its success`);
        if (path.startsWith('/api/v1/') && !['/api/v1/openapi.json', '/api/v1/login', '/api/v1/tokens', '/api/v1/agents/enroll'].includes(path)) {
          assert.ok(op.responses?.['401'] !== undefined, `${m} ${path} documents 401`);
        }
      }
    }
  } finally {
    await app.close();
    await store.close();
    await db.dispose();
  }
});
