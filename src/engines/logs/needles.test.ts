// Line pre-screen needles and the prefilter gate: they may only ever admit more, never less.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../../parsers/types.js';
import { loadRuleText } from '../../rules/load.js';
import type { LogRule } from '../../rules/types.js';
import { createLogMatcher } from './matcher.js';
import { needlesOf, rawPiece } from './needles.js';

function rule(detection: string, fams = '[iis]'): LogRule {
  const text = `id: t\ntitle: t\nauthor: a\nseverity: high\nlogsource: ${fams}\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
  const r = loadRuleText('t.yml', text, { mappings: [] });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.rules[0] as LogRule;
}

void test('raw pieces cut at characters the raw line may write differently', () => {
  assert.equal(rawPiece('yahoo! slurp'), 'yahoo!');
  assert.equal(rawPiece('/autodiscover.json?@'), '/autodiscover.json');
  assert.equal(rawPiece('a"b"cd'), 'cd');
  assert.equal(rawPiece('caf\u00e9-latte'), '-latte');
});

void test('needles: one per literal, redundant ones dropped; null when a rule cannot prefilter', () => {
  const a = rule("s:\n  cs-uri-stem|contains: ['/ecp/', '/ecp/y.js']\ncondition: s");
  assert.deepEqual(needlesOf([a]), ['/ecp/']);
  const b = rule("s:\n  cs-uri-stem|re: 'x+'\ncondition: s");
  assert.equal(needlesOf([a, b]), null);
  const m = createLogMatcher([a]);
  assert.deepEqual(m.needlesFor('iis'), ['/ecp/']);
  assert.deepEqual(m.needlesFor('oab'), [], 'no rule: nothing to parse for');
});

void test('the prefilter gate never drops a match whose value needs Unicode lower-casing', () => {
  // U+212A KELVIN SIGN lower-cases to ASCII `k`: the rule matches, so the gate must open.
  const r = rule("s:\n  cs-uri-stem|contains: '/kx/'\ncondition: s");
  const m = createLogMatcher([r]);
  const rec: LogRecord = { kind: 'log', source: 'iis', time: null, fields: { 'cs-uri-stem': '/\u212Ax/' }, location: { path: 'p', line: 1 } };
  assert.equal(m.match(rec).length, 1);
});
