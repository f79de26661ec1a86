import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, escapeHtml, html, httpUrl, oneLine, raw, stripControl, terminalSafeJson } from './escape.js';

void test('stripControl removes CSI, OSC (BEL and ST terminated) and other ESC sequences', () => {
  assert.equal(stripControl('a\x1b[31mred\x1b[0m b'), 'ared b');
  assert.equal(stripControl('x\x1b]0;pwn\x07y'), 'xy');
  assert.equal(stripControl('x\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\y'), 'xlinky');
  assert.equal(stripControl('x\x1bPqdata\x1b\\y'), 'xy');
  assert.equal(stripControl('a\x1bcb\x1b(Bc'), 'abc');
  assert.equal(stripControl('a\x9b2Jb\x9d0;t\x9cc'), 'abc');
});

void test('stripControl removes C0/C1 controls, lone CR and bidi overrides; keeps tab and LF', () => {
  assert.equal(stripControl('a\x00b\x08c\x7fd\x85e'), 'abcde');
  assert.equal(stripControl('line1\r\nline2\rX'), 'line1\nline2X');
  assert.equal(stripControl('tab\there'), 'tab\there');
  assert.equal(stripControl('shell\u202Expsa.jpg'), 'shellxpsa.jpg');
  assert.equal(stripControl('Straße 名前'), 'Straße 名前');
});

void test('stripControl leaves an unterminated sequence harmless and visible', () => {
  assert.equal(stripControl('a\x1b]0;title'), 'a0;title');
  assert.equal(stripControl('a\x1b[31'), 'a31');
});

void test('oneLine makes line breaks and tabs visible', () => {
  assert.equal(oneLine('a\r\nb\tc\x1b[2Jd'), 'a\\nb\\tcd');
});

void test('csvCell neutralises formula triggers', () => {
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), `'=HYPERLINK("http://x","y")`);
  for (const c of ['+', '-', '@', '\t', '\n']) assert.equal(csvCell(`${c}1`)[0], "'");
  assert.equal(csvCell('\r=1'), "'=1"); // a lone CR is removed, the formula still caught
  assert.equal(csvCell('\x1b[0m=cmd|calc'), "'=cmd|calc");
  assert.equal(csvCell('a=b'), 'a=b');
  assert.equal(csvCell(''), '');
});

void test('html escapes interpolations, keeps raw() and joins arrays', () => {
  const bad = '</script><script>alert(1)</script>';
  assert.equal(
    html`<td title="${'" onx="1'}">${bad}</td>`.value,
    '<td title="&quot; onx=&quot;1">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>',
  );
  assert.equal(html`<p>${raw('<b>x</b>')}</p>`.value, '<p><b>x</b></p>');
  assert.equal(html`<ul>${['a<', 'b'].map((s) => html`<li>${s}</li>`)}</ul>`.value, '<ul><li>a&lt;</li><li>b</li></ul>');
  assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  assert.equal(escapeHtml(`<img src=x onerror=alert(1)>'&`), '&lt;img src=x onerror=alert(1)&gt;&#39;&amp;');
});

void test('httpUrl accepts only absolute http(s) URLs', () => {
  assert.equal(httpUrl('https://msrc.microsoft.com/x?a=1'), 'https://msrc.microsoft.com/x?a=1');
  assert.equal(httpUrl('javascript:alert(1)'), null);
  assert.equal(httpUrl(' JaVaScRiPt:alert(1)'), null);
  assert.equal(httpUrl('java\tscript:alert(1)'), null);
  assert.equal(httpUrl('data:text/html,<b>'), null);
  assert.equal(httpUrl('//evil.example/'), null);
  assert.equal(httpUrl('http://'), null);
});

void test('terminalSafeJson escapes DEL, C1 and bidi controls without changing the document', () => {
  const doc = { ua: 'a\x9b31mb\x7fc\u202Ed\x1b[0m', ok: 'Straße' };
  const text = terminalSafeJson(JSON.stringify(doc));
  assert.equal(text, '{"ua":"a\\u009b31mb\\u007fc\\u202ed\\u001b[0m","ok":"Straße"}');
  assert.deepEqual(JSON.parse(text), doc);
});
