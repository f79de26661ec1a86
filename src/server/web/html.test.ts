import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANSI_UA, ATTR_BREAK, BIDI_NAME, IMG, JS_URL, SCRIPT } from '../../../test/fixtures/server-web/hostile.js';
import { assertInert } from '../../../test/fixtures/server-web/inert.js';
import { html, join, link, safeUrl, withQuery } from './html.js';

test('html escapes every interpolation, keeps html-made fragments', () => {
  const inner = html`<b>${SCRIPT}</b>`;
  const out = html`<p title="${ATTR_BREAK}">${IMG}${inner}</p>`.value;
  assert.equal(out, '<p title="&quot; onmouseover=&quot;window.__pwned=1&quot; x=&quot;">&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;<b>&lt;script&gt;window.__pwned=1&lt;/script&gt;</b></p>');
  assertInert(out);
});

test('html strips ANSI escapes and bidi overrides before escaping', () => {
  const out = html`<td>${ANSI_UA}</td><td>${BIDI_NAME}</td>`.value;
  assert.equal(out, '<td>Mozilla/5.0 red agent </td><td>C/inetpub/wwwroot/aspnet_client/photogpj.aspx</td>');
  assertInert(out);
});

test('a plain object is shown as escaped JSON, not markup; arrays are joined', () => {
  const out = html`${{ a: SCRIPT }}|${['<x>', html`<y>`]}|${null}${undefined}${false}|${0}`.value;
  assert.equal(out, '{&quot;a&quot;:&quot;&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;}|&lt;x&gt;<y>||0');
});

test('safeUrl accepts local paths and http(s) only', () => {
  assert.equal(safeUrl('/findings?x=1'), '/findings?x=1');
  assert.equal(safeUrl('?offset=50'), '?offset=50');
  assert.equal(safeUrl('https://example.org/a'), 'https://example.org/a');
  for (const bad of [JS_URL, 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>x</script>',
    'vbscript:msgbox', '//evil.example/x', '/\\evil.example', 'http//x', 'ftp://x/', '\x1b[31mhttps://x', 'https://x/\u202e']) {
    assert.equal(safeUrl(bad), null, bad);
  }
});

test('link renders an unsafe URL as text, a safe one as a link', () => {
  const bad = link(JS_URL).value;
  assert.equal(bad, '<span class="unsafe-url">javascript:window.__pwned=1//</span>');
  const ext = link('https://example.org/a?b=1&c=<2>').value;
  assert.match(ext, /^<a href="https:\/\/example\.org\/a\?b=1&amp;c=%3C2%3E" rel="noopener noreferrer nofollow" target="_blank">/);
  const own = link('/servers/a%20b', SCRIPT).value;
  assert.equal(own, '<a href="/servers/a%20b">&lt;script&gt;window.__pwned=1&lt;/script&gt;</a>');
  assertInert(bad + ext + own);
});

test('withQuery drops empty values and encodes the rest', () => {
  assert.equal(withQuery('/', { a: undefined, b: '', c: false, d: null }), '/');
  assert.equal(withQuery('/f', { search: '<x> & "y"', n: 2, t: true }), '/f?search=%3Cx%3E+%26+%22y%22&n=2&t=true');
  assert.equal(join(['a', '<b>'], html`, `).value, 'a, &lt;b&gt;');
});
