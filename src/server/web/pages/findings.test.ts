import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileFindings, hostileStored, SCRIPT } from '../../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../../test/fixtures/server-web/inert.js';
import type { Role } from '../../store/types.js';
import { renderFindings } from './findings.js';

function doc(role: Role): string {
  const items = hostileFindings().map((f) => hostileStored(f));
  return renderFindings({ viewer: { name: 'ann', role, csrf: 'csrf-123' }, filters: { search: SCRIPT, status: 'new', serverId: 'srv-1', limit: 50, offset: 0 },
    findings: { items, total: 2 }, notice: { kind: 'ok', text: `2 findings updated ${SCRIPT}` } });
}

test('findings list: hostile titles, server names and assignees are inert text', () => {
  const d = doc('analyst');
  assertInert(d);
  assert.ok(d.includes('Unexpected .aspx file &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;'));
  assert.ok(d.includes('bob &quot; onmouseover=&quot;window.__pwned=1&quot; x=&quot;'));
  assert.ok(d.includes('2 findings updated &lt;script&gt;'));
});

test('findings list: analysts get the bulk triage form with the CSRF field and the back link', () => {
  const d = doc('analyst');
  assert.ok(d.includes('<form method="post" action="/findings/triage" class="bulk-form">'));
  assert.equal((d.match(/name="_csrf" value="csrf-123"/g) ?? []).length, 2, 'triage form and logout form');
  assert.equal((d.match(/<input type="checkbox" name="ids" value="sf-/g) ?? []).length, 2);
  assert.ok(d.includes('name="back" value="/findings?serverId=srv-1&amp;status=new&amp;search=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E"'));
  assert.ok(d.includes('<option value="false_positive">false positive</option>'));
  assert.ok(d.includes('<option value="new" selected>new</option>'), 'status filter kept');
});

test('findings list: viewers get no triage form', () => {
  const d = doc('viewer');
  assertInert(d);
  assert.ok(!d.includes('/findings/triage'));
  assert.ok(!d.includes('name="ids"'));
});

test('findings list: next goes by cursor, previous by offset, a cursor page says where it is', () => {
  const items = hostileFindings().map((f) => hostileStored(f));
  const next = { rank: 4, seenAt: '2026-11-20T08:00:00Z', id: 'sf-9' };
  const v = { viewer: { name: 'ann', role: 'viewer' as const, csrf: 'c' }, findings: { items, total: 120, next } };
  const d = renderFindings({ ...v, filters: { status: 'new', limit: 2, offset: 4 } });
  assert.match(d, /5–6 of 120 <a href="\/findings\?status=new&amp;limit=2">« first<\/a> <a href="\/findings\?status=new&amp;limit=2&amp;offset=2">‹ previous<\/a> <a href="\/findings\?status=new&amp;limit=2&amp;after=[A-Za-z0-9_-]+">next ›<\/a>/);
  const c = renderFindings({ ...v, findings: { ...v.findings, next: null }, filters: { after: 'abc', limit: 2, offset: 0 } });
  assert.match(c, /2 of 120 after the previous pages <a href="\/findings\?limit=2">« first<\/a>/);
  assert.ok(!c.includes('next ›'));
});
