import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileAudit, hostileDetail, hostileFindings } from '../../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../../test/fixtures/server-web/inert.js';
import type { Role } from '../../store/types.js';
import { renderFinding } from './finding.js';

function doc(role: Role): string {
  const f = hostileFindings()[0];
  if (f === undefined) throw new Error('fixture');
  return renderFinding({ viewer: { name: 'ann', role, csrf: 'c1' }, finding: hostileDetail(f), audit: { items: [hostileAudit()], total: 3 } });
}

test('finding page: evidence, details, rule refs, comments and audit trail are inert text', () => {
  const d = doc('analyst');
  assertInert(d);
  assert.ok(d.includes('<span class="unsafe-url">javascript:window.__pwned=1//</span>'));
  assert.ok(d.includes('<a href="https://example.org/a?b=1&amp;c=%3C2%3E" rel="noopener noreferrer nofollow" target="_blank">'));
  assert.ok(d.includes('author exhunt &quot; onmouseover='));
  assert.ok(d.includes('<dt>nested</dt><dd>{&quot;html&quot;:&quot;&lt;img src=x onerror=\\&quot;window.__pwned=1\\&quot;&gt;&quot;}</dd>'));
  assert.ok(d.includes('<p class="text">looks bad &lt;script&gt;window.__pwned=1&lt;/script&gt;\nMozilla/5.0 red agent </p>'));
  assert.ok(d.includes('mallory &lt;script&gt;'));
  assert.ok(d.includes('<code>f-1 &quot; onmouseover=') || d.includes('href="/findings/f-1%20%22%20onmouseover'));
  assert.ok(d.includes('Showing the newest 1 of 3 entries.'));
});

test('finding page: analysts triage this one finding (ids + CSRF + back); viewers cannot', () => {
  const a = doc('analyst');
  assert.match(a, /<form method="post" action="\/findings\/triage" class="triage-one"><input type="hidden" name="ids" value="sf-[0-9a-f]+"><fieldset/);
  assert.match(a, /name="_csrf" value="c1"><input type="hidden" name="back" value="\/findings\/sf-[0-9a-f]+">/);
  const v = doc('viewer');
  assertInert(v);
  assert.ok(!v.includes('/findings/triage'));
});
