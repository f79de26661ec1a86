import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ATTR_BREAK, SCRIPT } from '../../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../../test/fixtures/server-web/inert.js';
import { renderLogin } from './login.js';

test('login page: next and the typed name are escaped; no navigation for anonymous visitors', () => {
  const d = renderLogin({ next: `/findings?x=${ATTR_BREAK}`, name: SCRIPT, notice: { kind: 'error', text: 'Wrong name or password.' } });
  assertInert(d);
  assert.ok(d.includes('<form method="post" action="/login" class="login">'));
  assert.ok(d.includes('name="next" value="/findings?x=&quot; onmouseover=&quot;window.__pwned=1&quot; x=&quot;"'));
  assert.ok(d.includes('value="&lt;script&gt;window.__pwned=1&lt;/script&gt;"'));
  assert.ok(d.includes('<p class="notice error" role="status">Wrong name or password.</p>'));
  assert.ok(!d.includes('<nav>'));
});
