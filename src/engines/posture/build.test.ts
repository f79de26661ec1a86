import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBuilds, formatBuild, parseBuild } from './build.js';

void test('leading zeros and short form parse to the same build', () => {
  const a = parseBuild('15.02.0792.010');
  const b = parseBuild('15.2.792.10');
  assert.ok(a && b);
  assert.equal(formatBuild(a), '15.2.792.10');
  assert.equal(compareBuilds(a, b), 0);
});

void test('3-part builds have no revision', () => {
  const b = parseBuild('15.2.792');
  assert.equal(b?.revision, null);
  assert.ok(b);
  assert.equal(formatBuild(b), '15.2.792');
});

void test('"Version 15.2 (Build 792.10)" style and junk are malformed, "Version 15.2.792.10" is not', () => {
  assert.equal(parseBuild('15.2'), null);
  assert.equal(parseBuild('15.2.792.10.1'), null);
  assert.equal(parseBuild('15.2.792.x'), null);
  assert.equal(parseBuild('1e3.2.792.10'), null);
  assert.equal(parseBuild(''), null);
  assert.equal(parseBuild('15.2.792.100000'), null);
  assert.equal(formatBuild(parseBuild(' Version 15.2.792.10 ')!), '15.2.792.10');
});

void test('ordering is numeric, not lexical', () => {
  assert.ok(compareBuilds(parseBuild('15.2.986.9')!, parseBuild('15.2.1118.7')!) < 0);
  assert.ok(compareBuilds(parseBuild('15.2.792.13')!, parseBuild('15.2.792.3')!) > 0);
});
