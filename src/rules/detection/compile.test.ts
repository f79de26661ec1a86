// Sigma detection language: every modifier and condition form, as small rules of our own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../../parsers/types.js';
import { createFieldView } from '../field-view.js';
import { loadRuleText } from '../load.js';
import type { LogRule } from '../types.js';

function rec(fields: Record<string, string>): LogRecord {
  return { kind: 'log', source: 'iis', time: null, fields, location: { path: 'x.log', line: 1 } };
}

function compile(detection: string): LogRule {
  const text = `id: t\ntitle: t\nauthor: me\nseverity: high\nlogsource: [iis]\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
  const r = loadRuleText('t.yml', text, { mappings: [] });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], 'no errors');
  const rule = r.rules[0];
  assert.ok(rule && (rule.kind === 'builtin' || rule.kind === 'sigma'));
  return rule;
}

function errorsOf(detection: string): string[] {
  const text = `id: t\ntitle: t\nauthor: me\nseverity: high\nlogsource: [iis]\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
  return loadRuleText('t.yml', text, { mappings: [] }).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

function hits(rule: LogRule, fields: Record<string, string>): boolean {
  const view = createFieldView(rec(fields), null);
  const pf = rule.detection.prefilter;
  const result = rule.detection.test(view);
  // The prefilter is a necessary condition: it must never reject a matching record.
  if (result && pf) assert.ok(pf.some((a) => a.literals.some((l) => ((a.field === null ? view.textLower() : view.lower(a.field)) ?? '').includes(l))), 'prefilter admits match');
  // So is the line gate: some term has every literal in the record's text.
  const gate = rule.detection.lineGate;
  if (result && gate) assert.ok(gate.some((t) => t.every((l) => view.textLower().includes(l))), 'line gate admits match');
  return result;
}

void test('plain values match the whole value, case-insensitively', () => {
  const r = compile('sel:\n  cs-method: POST\ncondition: sel');
  assert.equal(hits(r, { 'cs-method': 'post' }), true);
  assert.equal(hits(r, { 'cs-method': 'POSTX' }), false);
  assert.equal(hits(r, {}), false);
});

void test('wildcards * and ?, and escapes \\* \\? \\\\', () => {
  const r = compile("sel:\n  a: 'ab*c?e'\ncondition: sel");
  assert.equal(hits(r, { a: 'abXXcde' }), true);
  assert.equal(hits(r, { a: 'abce' }), false);
  const e = compile("sel:\n  a: 'x\\*y\\?z\\\\w'\ncondition: sel");
  assert.equal(hits(e, { a: 'x*y?z\\w' }), true);
  assert.equal(hits(e, { a: 'xAyBz\\w' }), false);
  const lit = compile("sel:\n  a: 'C:\\Windows\\x'\ncondition: sel");
  assert.equal(hits(lit, { a: 'c:\\windows\\x' }), true);
});

void test('contains, startswith, endswith', () => {
  const c = compile("sel:\n  a|contains: '/ecp/'\ncondition: sel");
  assert.equal(hits(c, { a: 'x/ECP/y' }), true);
  assert.equal(hits(c, { a: '/ecpy' }), false);
  const s = compile("sel:\n  a|startswith: '/owa'\ncondition: sel");
  assert.equal(hits(s, { a: '/owa/auth' }), true);
  assert.equal(hits(s, { a: 'x/owa' }), false);
  const e = compile("sel:\n  a|endswith: '.aspx'\ncondition: sel");
  assert.equal(hits(e, { a: '/x.ASPX' }), true);
  assert.equal(hits(e, { a: '/x.aspx.txt' }), false);
});

void test('value lists are OR; |all makes them AND', () => {
  const any = compile('sel:\n  a|contains:\n    - foo\n    - bar\ncondition: sel');
  assert.equal(hits(any, { a: 'xbarx' }), true);
  const all = compile('sel:\n  a|contains|all:\n    - foo\n    - bar\ncondition: sel');
  assert.equal(hits(all, { a: 'xbarx' }), false);
  assert.equal(hits(all, { a: 'bar foo' }), true);
  assert.deepEqual(errorsOf('sel:\n  a|contains|all: foo\ncondition: sel'), ['E303']);
});

void test('maps are AND, lists of maps are OR', () => {
  const r = compile('sel:\n  - a: 1\n    b: 2\n  - c: 3\ncondition: sel');
  assert.equal(hits(r, { a: '1', b: '2' }), true);
  assert.equal(hits(r, { a: '1', b: '9' }), false);
  assert.equal(hits(r, { c: '3' }), true);
});

void test('numbers compare as their text; null means absent or empty', () => {
  const r = compile('sel:\n  sc-status: 200\n  x: null\ncondition: sel');
  assert.equal(hits(r, { 'sc-status': '200' }), true);
  assert.equal(hits(r, { 'sc-status': '200', x: '' }), true);
  assert.equal(hits(r, { 'sc-status': '200', x: 'v' }), false);
  assert.equal(hits(r, { 'sc-status': '2000' }), false);
  const asWritten = compile('sel:\n  a: 0688\n  b: 1.0\ncondition: sel');
  assert.equal(hits(asWritten, { a: '0688', b: '1.0' }), true);
});

void test('keyword lists match anywhere in the record', () => {
  const r = compile('keywords:\n  - ServerInfo~\n  - xyzzy\ncondition: keywords');
  assert.equal(hits(r, { a: 'q', b: 'serverinfo~a]@b' }), true);
  assert.equal(hits(r, { a: 'serverinf' }), false);
});

void test('re with i, m, s sub-modifiers; case-sensitive by default', () => {
  const r = compile("sel:\n  a|re: 'Set-.+VirtualDirectory'\ncondition: sel");
  assert.equal(hits(r, { a: 'Set-OabVirtualDirectory' }), true);
  assert.equal(hits(r, { a: 'set-oabvirtualdirectory' }), false);
  const i = compile("sel:\n  a|re|i: 'set-.+virtualdirectory'\ncondition: sel");
  assert.equal(hits(i, { a: 'Set-OabVirtualDirectory' }), true);
  const m = compile("sel:\n  a|re|m: '^b$'\ncondition: sel");
  assert.equal(hits(m, { a: 'a\nb\nc' }), true);
  const s = compile("sel:\n  a|re|s: 'a.c'\ncondition: sel");
  assert.equal(hits(s, { a: 'a\nc' }), true);
  const noS = compile("sel:\n  a|re: 'a.c'\ncondition: sel");
  assert.equal(hits(noS, { a: 'a\nc' }), false);
});

void test('re with nested quantifiers is rejected with a diagnostic', () => {
  assert.deepEqual(errorsOf("sel:\n  a|re: '(a+)+b'\ncondition: sel"), ['E304']);
  assert.deepEqual(errorsOf("sel:\n  a|re: '(?:\\w*x)*'\ncondition: sel"), ['E304']);
  assert.deepEqual(errorsOf("sel:\n  a|re: '(a'\ncondition: sel"), ['E304']);
  // PCRE escapes that JavaScript would read as literal letters.
  assert.deepEqual(errorsOf("sel:\n  a|re: '\\Aadmin\\Z'\ncondition: sel"), ['E304']);
  assert.deepEqual(errorsOf("sel:\n  a|re: '\\p{L}+'\ncondition: sel"), ['E304']);
  assert.deepEqual(errorsOf("sel:\n  a|re: '\\x{41}'\ncondition: sel"), ['E304']);
  assert.deepEqual(errorsOf("sel:\n  a|re: '\\x41\\d+\\.\\w'\ncondition: sel"), []);
});

void test('cidr for IPv4 and IPv6', () => {
  const r = compile("sel:\n  c-ip|cidr:\n    - 10.0.0.0/8\n    - '2001:db8::/32'\ncondition: sel");
  assert.equal(hits(r, { 'c-ip': '10.1.2.3' }), true);
  assert.equal(hits(r, { 'c-ip': '11.1.2.3' }), false);
  assert.equal(hits(r, { 'c-ip': '2001:db8:1::5' }), true);
  assert.equal(hits(r, { 'c-ip': '2001:db9::5' }), false);
  assert.deepEqual(errorsOf('sel:\n  c-ip|cidr: 10.0.0.0/99\ncondition: sel'), ['E305']);
});

void test('base64 and base64offset (with contains), wide before base64offset', () => {
  const b = compile('sel:\n  a|base64|contains: hello\ncondition: sel');
  assert.equal(hits(b, { a: `x${Buffer.from('hello').toString('base64')}y` }), true);
  const off = compile('sel:\n  a|base64offset|contains: powershell\ncondition: sel');
  for (const prefix of ['', 'a', 'ab', 'abc']) {
    const enc = Buffer.from(`${prefix}powershell -enc`).toString('base64');
    assert.equal(hits(off, { a: enc }), true, prefix);
  }
  assert.equal(hits(off, { a: Buffer.from('nothing here').toString('base64') }), false);
  const wide = compile('sel:\n  a|wide|base64offset|contains: whoami\ncondition: sel');
  assert.equal(hits(wide, { a: Buffer.from('cmd /c whoami', 'utf16le').toString('base64') }), true);
  assert.deepEqual(errorsOf('sel:\n  a|wide: x\ncondition: sel'), ['E303']);
});

void test('windash tries - and / forms', () => {
  const r = compile("sel:\n  a|windash|contains: ' -enc '\ncondition: sel");
  assert.equal(hits(r, { a: 'powershell /enc x' }), true);
  assert.equal(hits(r, { a: 'powershell -enc x' }), true);
  assert.equal(hits(r, { a: 'powershell enc x' }), false);
  const after = compile("sel:\n  a|contains|windash: ' -enc '\ncondition: sel");
  assert.equal(hits(after, { a: 'x /enc y' }), true);
});

void test('exists, cased, lt/gte', () => {
  const ex = compile('sel:\n  a|exists: true\ncondition: sel');
  assert.equal(hits(ex, { a: '' }), true);
  assert.equal(hits(ex, {}), false);
  const c = compile('sel:\n  a|cased: Abc\ncondition: sel');
  assert.equal(hits(c, { a: 'Abc' }), true);
  assert.equal(hits(c, { a: 'abc' }), false);
  const n = compile('sel:\n  t|gte: 100\ncondition: sel');
  assert.equal(hits(n, { t: '150' }), true);
  assert.equal(hits(n, { t: '50' }), false);
});

void test('conditions: and, or, not, parentheses, precedence', () => {
  const r = compile('a:\n  x: 1\nb:\n  y: 1\nc:\n  z: 1\ncondition: a or b and not c');
  assert.equal(hits(r, { x: '1', z: '1' }), true);
  assert.equal(hits(r, { y: '1', z: '1' }), false);
  assert.equal(hits(r, { y: '1' }), true);
  const p = compile('a:\n  x: 1\nb:\n  y: 1\nc:\n  z: 1\ncondition: (a or b) and not c');
  assert.equal(hits(p, { x: '1', z: '1' }), false);
});

void test('1 of / all of with patterns and them; _ identifiers left out of them', () => {
  const src = 'sel_a:\n  x: 1\nsel_b:\n  y: 1\n_hidden:\n  z: 1\n';
  const one = compile(`${src}condition: 1 of sel_*`);
  assert.equal(hits(one, { y: '1' }), true);
  const all = compile(`${src}condition: all of sel_*`);
  assert.equal(hits(all, { y: '1' }), false);
  assert.equal(hits(all, { x: '1', y: '1' }), true);
  const them = compile(`${src}condition: all of them`);
  assert.equal(hits(them, { x: '1', y: '1' }), true, '_hidden not required');
  const anyThem = compile(`${src}condition: 1 of them`);
  assert.equal(hits(anyThem, { z: '1' }), false, '_hidden not counted');
});

void test('condition errors: syntax, unknown identifier, aggregation', () => {
  assert.deepEqual(errorsOf('a:\n  x: 1\ncondition: a and'), ['E201']);
  assert.deepEqual(errorsOf('a:\n  x: 1\ncondition: a or b'), ['E202']);
  assert.deepEqual(errorsOf('a:\n  x: 1\ncondition: 1 of z*'), ['E202']);
  assert.deepEqual(errorsOf('a:\n  x: 1\ncondition: a | count() > 5'), ['E203']);
  assert.deepEqual(errorsOf('a:\n  x: 1\ncondition: (a'), ['E201']);
});

void test('modifier errors: unknown, unsupported, bad combinations', () => {
  assert.deepEqual(errorsOf('a:\n  x|frobnicate: 1\ncondition: a'), ['E301']);
  assert.deepEqual(errorsOf('a:\n  x|fieldref: y\ncondition: a'), ['E302']);
  assert.deepEqual(errorsOf('a:\n  x|expand: "%p%"\ncondition: a'), ['E305'], 'own rule: unknown placeholder');
  assert.deepEqual(errorsOf('a:\n  x|re|contains: y\ncondition: a'), ['E303']);
});
