import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileAudit, NOW } from '../../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../../test/fixtures/server-web/inert.js';
import { renderAudit } from './audit.js';

test('audit page: hostile actor names, targets and details are inert text; pager', () => {
  const other = { ...hostileAudit(), id: 'a-2', targetKind: 'server', targetId: 'srv-1', details: {}, at: NOW };
  const d = renderAudit({ viewer: { name: 'ann', role: 'analyst', csrf: 'c' }, entries: { items: [hostileAudit(), other], total: 130 }, limit: 50, offset: 50 });
  assertInert(d);
  assert.ok(d.includes('mallory &lt;script&gt;window.__pwned=1&lt;/script&gt;'));
  assert.ok(d.includes('href="/findings/f-1%20%22%20onmouseover%3D%22window.__pwned%3D1%22%20x%3D%22"'));
  assert.ok(d.includes('<dt>comment</dt><dd>&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; Mozilla/5.0 red agent </dd>'));
  assert.ok(d.includes('server <a href="/servers/srv-1">srv-1</a>'));
  assert.match(d, /51–100 of 130 <a href="\/audit">« first<\/a> <a href="\/audit">‹ previous<\/a> <a href="\/audit\?offset=100">next ›<\/a>/);
  assert.ok(d.includes('href="/audit" aria-current="page"'));
});
