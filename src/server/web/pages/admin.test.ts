import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANSI_UA, NOW, SCRIPT } from '../../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../../test/fixtures/server-web/inert.js';
import { renderAdmin } from './admin.js';

const viewer = { name: 'root', role: 'admin', csrf: 'adm-csrf' } as const;

test('admin page: users, enrolment form, agents with revoke; every POST form has the CSRF field', () => {
  const d = renderAdmin({
    viewer,
    users: [{ id: 'u1', name: `ann${SCRIPT}`, role: 'analyst', createdAt: NOW, disabled: false }],
    agents: { items: [
      { id: 'ag-1', serverId: 's1', hostname: `EX01 ${ANSI_UA}`, enrolledAt: NOW, lastSeenAt: null, revoked: false },
      { id: 'ag-2', serverId: 's2', hostname: 'EX02', enrolledAt: NOW, lastSeenAt: NOW, revoked: true },
    ], total: 150 },
    agentsPage: { limit: 100, offset: 0 },
    newToken: { token: 'exe_abc<def>', expiresAt: NOW },
  });
  assertInert(d);
  const posts = d.match(/<form method="post"[^>]*>/g) ?? [];
  assert.equal(posts.length, 4, 'logout, add user, enrolment token, revoke');
  for (const f of d.split('<form method="post"').slice(1)) assert.match(f, /^[^>]*><input type="hidden" name="_csrf" value="adm-csrf">/);
  assert.ok(d.includes('action="/admin/agents/ag-1/revoke" class="confirm"'));
  assert.ok(!d.includes('/admin/agents/ag-2/revoke'), 'revoked agents have no button');
  assert.ok(d.includes('<pre class="token">exe_abc&lt;def&gt;</pre>'));
  assert.ok(d.includes('EX01 Mozilla/5.0 red agent '));
  assert.ok(d.includes('ann&lt;script&gt;'));
  assert.match(d, /1–100 of 150\s+<a href="\/admin\?limit=100&amp;offset=100">next ›<\/a>/);
});

test('admin page without a new token shows none', () => {
  const d = renderAdmin({ viewer, users: [], agents: { items: [], total: 0 }, agentsPage: { limit: 100, offset: 0 } });
  assertInert(d);
  assert.ok(!d.includes('class="token"'));
  assert.ok(d.includes('No agents enrolled.'));
});
