// Line gates: necessary conditions as literal conjunctions; they may only ever admit more.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRuleText } from '../load.js';
import type { LineGate, LogRule } from '../types.js';
import { gateAnd, gateOf, gateOr } from './gate.js';

function gate(detection: string): LineGate | undefined {
  const text = `id: t\ntitle: t\nauthor: me\nseverity: high\nlogsource: [iis]\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
  const r = loadRuleText('t.yml', text, { mappings: [] });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return (r.rules[0] as LogRule).detection.lineGate;
}

const sorted = (g: LineGate | undefined): string[][] | null | undefined => g && g.map((t) => [...t].sort()).sort();

void test('AND joins terms, OR lists them, unknown operands of an AND add nothing', () => {
  assert.deepEqual(sorted(gateAnd([[['a'], ['b']], [['c']], null])), [['a', 'c'], ['b', 'c']]);
  assert.deepEqual(sorted(gateOr([[['a']], [['b', 'c']]])), [['a'], ['b', 'c']]);
  assert.equal(gateOr([[['a']], null]), null);
  assert.equal(gateAnd([null, null]), null);
  assert.deepEqual(gateOf([{ field: 'x', literals: ['a', 'b'] }]), [['a'], ['b']]);
});

void test('a term implied by another is dropped (A or A and B = A), also through substrings', () => {
  assert.deepEqual(sorted(gateOr([[['/ecp/']], [['/ecp/x', 'post']]])), [['/ecp/']]);
  assert.deepEqual(sorted(gateOr([[['a', 'b']], [['a']]])), [['a']]);
});

void test('an AND past 64 terms keeps its smallest operand instead of the product', () => {
  const wide: LineGate = Array.from({ length: 10 }, (_, i) => [`x${i}`]);
  const g = gateAnd([wide, wide, [['y']]]);
  assert.deepEqual(g, [['y']]);
});

void test('rules: every literal run of a value, |all values together, selections joined', () => {
  assert.deepEqual(sorted(gate("s:\n  cs-uri-stem: '/ecp/?.js'\ncondition: s")), [['.js', '/ecp/']]);
  assert.deepEqual(
    sorted(gate("s:\n  cs-uri-stem|startswith: '/ecp/'\n  cs-uri-stem|contains|all: ['@', '.svc/']\ncondition: s")),
    [['.svc/', '/ecp/', '@']],
  );
  assert.deepEqual(sorted(gate("a:\n  cs-method: POST\nb:\n  cs-uri-stem: ['/x', '/y*z']\ncondition: a and b")), [
    ['/x', 'post'],
    ['/y', 'post', 'z'],
  ]);
  // `not` and regexes say nothing; the other operand of the AND still does.
  assert.deepEqual(sorted(gate("a:\n  cs-method: POST\nb:\n  cs-uri-stem|re: 'x+'\ncondition: a and not b")), [['post']]);
  assert.equal(gate("b:\n  cs-uri-stem|re: 'x+'\ncondition: b"), null);
  // |cased literals are lower-cased like the prefilter's (the gate is case-insensitive).
  assert.deepEqual(sorted(gate("s:\n  cs-uri-stem|cased: '/ECP/'\ncondition: s")), [['/ecp/']]);
});
