// Sigma rules loaded unmodified: metadata, field mapping (IIS and HttpProxy), diagnostics.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createLogMatcher } from '../engines/logs/matcher.js';
import type { LogFamily, LogRecord } from '../parsers/types.js';
import { renderDiagnostic } from './diagnostics.js';
import { defaultLoadOptions, loadRuleText, type LoadOptions } from './load.js';
import type { LogRule } from './types.js';

let opts: LoadOptions;
before(async () => {
  opts = await defaultLoadOptions();
});

const HEAD = `title: Exchange ProxyShell Pattern (test)
id: 11111111-2222-3333-4444-555555555555
status: test
description: test rule
author: Someone Else
references:
  - https://example.invalid/ref
date: 2021/08/09
tags:
  - attack.initial_access
  - attack.t1190
  - cve.2021-34473
logsource:
  category: webserver
`;

function load(body: string, head = HEAD): { rules: LogRule[]; text: string; diags: string[] } {
  const text = head + body;
  const r = loadRuleText('rules/web_test.yml', text, opts);
  return {
    rules: r.rules.filter((x): x is LogRule => x.kind === 'sigma' || x.kind === 'builtin'),
    text,
    diags: r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.line}:${d.column}`),
  };
}

function rec(source: LogFamily, fields: Record<string, string>): LogRecord {
  return { kind: 'log', source, time: '2021-08-10T00:00:00Z', fields, location: { path: 'u_ex210810.log', line: 7 } };
}

void test('metadata: id, title, level, tags → CVEs and ATT&CK', () => {
  const { rules } = load("detection:\n  selection:\n    cs-uri-query|contains: '/autodiscover.json'\n  condition: selection\nlevel: high\n");
  const r = rules[0];
  assert.ok(r);
  assert.equal(r.kind, 'sigma');
  assert.equal(r.meta.id, '11111111-2222-3333-4444-555555555555');
  assert.equal(r.meta.title, 'Exchange ProxyShell Pattern (test)');
  assert.equal(r.meta.severity, 'high');
  assert.deepEqual(r.meta.cves, ['CVE-2021-34473']);
  assert.deepEqual(r.meta.attack, ['T1190']);
  assert.deepEqual([...r.families].sort(), ['httpproxy', 'iis']);
});

void test('informational level becomes info', () => {
  const { rules } = load('detection:\n  s:\n    cs-method: POST\n  condition: s\nlevel: informational\n');
  assert.equal(rules[0]?.meta.severity, 'info');
});

void test('IIS cs-uri-query reads stem + ? + query; HttpProxy maps the same names', () => {
  const { rules } = load("detection:\n  selection:\n    cs-uri-query|contains|all:\n      - '/autodiscover.json'\n      - '?@'\n  condition: selection\nlevel: high\n");
  const m = createLogMatcher(rules);
  assert.equal(m.match(rec('iis', { 'cs-uri-stem': '/autodiscover/autodiscover.json', 'cs-uri-query': '@x.com/mapi/nspi' })).length, 1);
  assert.equal(m.match(rec('iis', { 'cs-uri-stem': '/autodiscover/autodiscover.json', 'cs-uri-query': '' })).length, 0);
  assert.equal(m.match(rec('httpproxy', { UrlStem: '/autodiscover/autodiscover.json', UrlQuery: '?@x.com/mapi/nspi' })).length, 1);
});

void test('user agents compare with + read as space on both sides', () => {
  const { rules } = load("detection:\n  selection:\n    c-useragent|contains: 'compatible;+Baiduspider'\n  condition: selection\nlevel: medium\n");
  const m = createLogMatcher(rules);
  assert.equal(m.match(rec('iis', { 'cs(User-Agent)': 'Mozilla/5.0 (compatible; Baiduspider/2.0)' })).length, 1);
});

void test('keyword lists search the whole record', () => {
  const { rules } = load('detection:\n  keywords:\n    - ServerInfo~\n  condition: keywords\nlevel: high\n');
  const m = createLogMatcher(rules);
  assert.equal(m.match(rec('httpproxy', { AnchorMailbox: 'ServerInfo~a]@b:444/ecp/' })).length, 1);
  assert.equal(m.match(rec('httpproxy', { AnchorMailbox: 'Smtp~a@b' })).length, 0);
});

void test('an aggregation is reported at file:line:column with the source line, and the rule skipped', () => {
  const { rules, text, diags } = load('detection:\n  selection:\n    cs-method: POST\n  condition: selection | count() by c-ip > 10\nlevel: high\n');
  assert.equal(rules.length, 0);
  assert.deepEqual(diags, ['E203@18:24']);
  const r = loadRuleText('rules/web_test.yml', text, opts).diagnostics.find((d) => d.code === 'E203');
  assert.ok(r);
  assert.equal(
    renderDiagnostic(r, text),
    [
      'rules/web_test.yml:18:24: error[E203]: aggregations (`| count() ...`) are not supported',
      '   |',
      '18 |   condition: selection | count() by c-ip > 10',
      '   |                        ^',
    ].join('\n'),
  );
});

void test('unsupported constructs are diagnostics, never silent', () => {
  assert.deepEqual(load("detection:\n  s:\n    cs-method|expand: '%methods%'\n  condition: s\n").diags, ['E302@17:5']);
  assert.deepEqual(load('detection:\n  s:\n    cs-method: POST\n  timeframe: 5m\n  condition: s\n').diags, ['E203@18:3']);
  assert.deepEqual(load("detection:\n  s:\n    c-uri|re: '(\\w+)*x'\n  condition: s\n").diags, ['E304@17:15']);
  assert.deepEqual(load('detection:\n  s:\n    cs-method: POST\n  condition: s near t\n').diags, ['E203@18:16']);
});

void test('a log source without a mapping is skipped with a warning (W401)', () => {
  const head = HEAD.replace('category: webserver', 'product: linux\n  service: auth');
  const r = loadRuleText('x.yml', `${head}detection:\n  s:\n    a: b\n  condition: s\n`, opts);
  assert.equal(r.rules.length, 0);
  assert.deepEqual(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}:${d.severity}`), ['W401@14:3:warning']);
});

void test('rule collections (action: global) are refused', () => {
  const text = `action: global\n${HEAD}detection:\n  s:\n    a: b\n  condition: s\n`;
  const r = loadRuleText('c.yml', text, opts);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['E306']);
});

void test('YAML syntax errors carry a position', () => {
  const r = loadRuleText('bad.yml', 'title: x\ndetection: [\n', opts);
  assert.equal(r.diagnostics[0]?.code, 'E002');
  assert.ok((r.diagnostics[0]?.line ?? 0) > 0);
});

void test('a file that is neither format is E003', () => {
  const r = loadRuleText('other.yml', 'foo: bar\n', opts);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['E003']);
});

void test('product: windows, service: iis reads W3C names as logged; `|all` keyword maps work', () => {
  const head = HEAD.replace('category: webserver', 'product: windows\n  service: iis');
  const body = "detection:\n  sel:\n    cs-uri-stem: /ecp/x\n    cs-uri-query|contains: 'a=1'\n  kw:\n    '|all':\n      - POST\n      - 200\n  condition: sel and kw\nlevel: high\n";
  const r = loadRuleText('w.yml', head + body, opts);
  assert.deepEqual(r.diagnostics, []);
  const m = createLogMatcher(r.rules as LogRule[]);
  const hit = rec('iis', { 'cs-method': 'POST', 'cs-uri-stem': '/ecp/x', 'cs-uri-query': 'a=1', 'sc-status': '200' });
  assert.equal(m.match(hit).length, 1);
  assert.equal(m.match(rec('iis', { ...hit.fields, 'sc-status': '404' })).length, 0);
  assert.equal(m.match(rec('httpproxy', hit.fields)).length, 0, 'IIS only');
});
